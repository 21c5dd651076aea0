using System.Security.Cryptography;
using Airlock.Engine.Identity;
using Airlock.Launcher.Config;
using Airlock.Launcher.Display;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Namespaces;
using Airlock.Launcher.Paths;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;

namespace Airlock.Launcher.Launch;

/// <summary>
/// Resolves a launch into a sandbox spec: the namespace's config, then the flags on top. Only the project, the namespace
/// home, and what the user asked for are mounted; only the env named in config or flags is forwarded.
/// </summary>
public sealed class LaunchPlanner(AirlockPaths paths, HostUser user, EngineIdentity engine, Func<string, string?> hostEnv)
{
    /// <summary>Where the host's ~/.gitconfig is visible inside; the seeded ~/.gitconfig includes it.</summary>
    public const string HostGitConfig = "/etc/airlock/host.gitconfig";

    public LaunchPlan Plan(string nsName, NamespaceConfig ns, LaunchRequest request)
    {
        var warnings = new List<string>();
        var project = Path.GetFullPath(request.ProjectDir);
        if (project == "/" || Hardening.ExposesEngineSocket(project))
        {
            throw new LauncherException($"refusing to mount {project} as the project: it would expose the whole host or an engine socket. cd into a project directory first");
        }

        // Every problem with the flags and settings below is reported at once, not just the first.
        var problems = new List<string>();
        var mapping = UserMapping.For(user, engine);
        var env = Collect(problems, () => EnvironmentResolver.Resolve(nsName, ns.Environment, request.Env, paths, hostEnv, warnings)) ?? [];
        var baseEnv = new Dictionary<string, string>
        {
            ["HOME"] = HomeSeeder.ContainerHome,
            ["USER"] = "airlock",
            ["AIRLOCK_NAMESPACE"] = nsName,
            ["AIRLOCK_PROJECT"] = project,
            ["TERM"] = hostEnv("TERM") is { Length: > 0 } term ? term : "xterm-256color",
        };
        if (hostEnv("TZ") is { Length: > 0 } tz)
        {
            baseEnv["TZ"] = tz;
        }

        foreach (var (k, v) in env)
        {
            baseEnv[k] = v;
        }

        var mounts = new List<SandboxMount>
        {
            new(paths.NamespaceHome(nsName), HomeSeeder.ContainerHome),
            new(project, project),
        };
        var gitconfig = Path.Combine(user.Home, ".gitconfig");
        if (File.Exists(gitconfig))
        {
            mounts.Add(new SandboxMount(gitconfig, HostGitConfig, ReadOnly: true));
        }

        if (File.Exists("/etc/localtime"))
        {
            mounts.Add(new SandboxMount("/etc/localtime", "/etc/localtime", ReadOnly: true));
        }

        var volumes = ns.Volumes.Select((v, i) => (Text: v, Where: $"namespaces.{nsName}.volumes[{i}]"))
            .Concat(request.Volumes.Select(v => (Text: v, Where: "--volume")));
        foreach (var (text, where) in volumes)
        {
            if (Collect(problems, () => VolumeSpec.Parse(text, user.Home, where)) is not { } mount)
            {
                continue;
            }

            // Named here, where the volume's origin (a flag or a config line) is known; the spec validator checks again.
            if (Hardening.ExposesEngineSocket(mount.Source))
            {
                problems.Add($"{where} '{text}': {mount.Source} would expose a container engine socket (and so the whole host) to the sandbox; mount a narrower directory");
            }

            mounts.Add(mount);
        }

        var ports = ns.PortForwarding.Select(p => new PortForward(p.ContainerPort, p.HostPort, p.HostInterface)).ToList();
        foreach (var forward in request.Forwards)
        {
            if (Collect(problems, () => ForwardSpec.Parse(forward)) is { } port)
            {
                ports.Add(port);
            }
        }

        var display = DisplayPlanner.Plan(request.Display ?? ns.Display ?? "none", user, hostEnv, warnings, engine: engine.Kind);
        foreach (var (k, v) in display.Environment)
        {
            baseEnv[k] = v;
        }

        mounts.AddRange(display.Mounts);

        var command = request.Command is { Count: > 0 } positional ? positional
            : request.CommandFlag is { } flag ? Collect(problems, () => SplitFlag(flag))
            : ns.Command;
        switch (problems.Count)
        {
            case 1:
                throw new LauncherException(problems[0]);
            case > 1:
                throw new LauncherException($"this launch has {problems.Count} problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }

        var spec = new SandboxSpec
        {
            Image = request.Image ?? ns.Image,
            Command = command,
            User = mapping.RunAs,
            UsernsMode = mapping.UsernsMode,
            WorkingDirectory = project,
            Hostname = nsName,
            Environment = baseEnv,
            Mounts = mounts,
            Ports = ports,
            Devices = display.Devices,
            Tmpfs = display.Tmpfs,
            Limits = new SandboxLimits(
                Override(ns.Limits.MemoryBytes, SandboxLimits.DefaultMemoryBytes),
                ns.Limits.Cpus is > 0 ? ns.Limits.Cpus : null,
                Override(ns.Limits.Pids, SandboxLimits.DefaultPids)),
            Network = new NetworkPolicy(ns.Network ?? "bridge", ns.HostPorts.Concat(request.HostPorts).Distinct().ToList()),
            Tty = request.Tty,
            Interactive = true,
            Labels = new Dictionary<string, string>
            {
                [SandboxLabels.Owner] = "launcher",
                [SandboxLabels.Namespace] = nsName,
                [SandboxLabels.Project] = project,
            },
        };

        var errors = SandboxSpecValidator.Validate(spec, $"namespaces.{nsName}");
        if (errors.Count > 0)
        {
            throw new ValidationException("this launch", errors);
        }

        return new LaunchPlan(SessionName(nsName), spec, warnings, display.Mode);
    }

    /// <summary>Runs one parse; its <see cref="LauncherException"/> becomes one of <paramref name="problems"/> and the result null.</summary>
    private static T? Collect<T>(List<string> problems, Func<T> parse)
        where T : class
    {
        try
        {
            return parse();
        }
        catch (LauncherException ex)
        {
            problems.Add(ex.Message);
            return null;
        }
    }

    /// <summary>A config limit of 0 lifts the limit; no entry keeps the default.</summary>
    private static long? Override(long? configured, long fallback) => configured switch
    {
        null => fallback,
        0 => null,
        var v => v,
    };

    private static IReadOnlyList<string> SplitFlag(string flag)
    {
        try
        {
            return ShellWords.Split(flag);
        }
        catch (FormatException ex)
        {
            throw new LauncherException($"--command: {ex.Message}");
        }
    }

    private static string SessionName(string ns) => $"airlock-{ns}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
}
