using System.Security.Cryptography;
using Airlock.Engine;
using Airlock.Engine.Identity;
using Airlock.Launcher.Config;
using Airlock.Launcher.Display;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Namespaces;
using Airlock.Launcher.Secrets;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Parsing;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Secrets;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;

namespace Airlock.Launcher.Launch;

/// <summary>
/// Resolves a launch into a sandbox spec: the namespace's config, then the flags on top. Only the project, the namespace
/// home, and what the user asked for are mounted; only the env named in config or flags is forwarded.
/// </summary>
/// <param name="hostCpus">The host's CPUs, for the default CPU limit (<see cref="SandboxLimits.DefaultCpusFor"/>); null: this machine's.</param>
public sealed class LaunchPlanner(AirlockPaths paths, HostUser user, EngineIdentity engine, Func<string, string?> hostEnv, int? hostCpus = null)
{
    /// <summary>Where the host's ~/.gitconfig (a copy without credentials) is visible inside; the seeded ~/.gitconfig includes it.</summary>
    public const string HostGitConfig = "/etc/airlock/host.gitconfig";

    /// <summary>The in-memory scratch dirs of a sandbox whose image is read-only.</summary>
    public static readonly IReadOnlyList<string> ScratchDirs = ["/tmp", "/var/tmp"];

    /// <summary>
    /// Why <paramref name="projectDir"/> needs the person's yes before it is mounted read-write (it is, or holds, their
    /// home or Airlock's state directory), or null when it does not.
    /// </summary>
    public string? BroadProjectReason(string projectDir)
    {
        var project = HostPath.Resolve(Path.GetFullPath(projectDir));
        var home = HostPath.Resolve(Path.GetFullPath(user.Home));
        var state = StateDir;
        return project == home ? $"it is your home directory, so the sandbox could change your shell's start-up files, your keys and every other file of yours"
            : AbsolutePath.IsAtOrBelow(home, project) ? $"it holds your home directory ({home}), so the sandbox could change your shell's start-up files, your keys and every other file of yours"
            : AbsolutePath.IsAtOrBelow(state, project) ? $"it holds Airlock's state directory ({state}), where the sandbox could read other namespaces' logins (it is hidden from the sandbox when you go ahead)"
            : null;
    }

    private string StateDir => HostPath.Resolve(Path.GetFullPath(paths.Root));

    public LaunchPlan Plan(string nsName, NamespaceConfig ns, LaunchRequest request)
    {
        var warnings = new List<string>();
        var given = Path.GetFullPath(request.ProjectDir);
        var project = HostPath.Resolve(given);
        var shown = project == given ? project : $"{given} (which is {project})";
        if (project == "/" || Hardening.ExposesEngineSocket(project) || Hardening.IsKernelFilesystem(project))
        {
            throw new LauncherException($"refusing to mount {shown} as the project: it would expose the whole host or an engine socket. cd into a project directory first");
        }

        if (AbsolutePath.IsAtOrBelow(project, StateDir) && project != StateDir)
        {
            throw new LauncherException($"refusing to mount {shown} as the project: it is inside Airlock's state directory ({StateDir}), whose config, build dirs and namespace homes decide what the next sandboxes get. Copy what you need elsewhere and run airlock there");
        }

        if (!request.BroadProjectConfirmed && BroadProjectReason(project) is { } reason)
        {
            throw new LauncherException($"refusing to mount {shown} as the project without a yes: {reason}. cd into a project directory, or pass --yes to mount it anyway");
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

        var protection = ProjectProtection.For(project, ns.WritableProjectPaths, user.Home);
        warnings.AddRange(protection.Warnings);
        var mounts = new List<SandboxMount>
        {
            new(paths.NamespaceHome(nsName), HomeSeeder.ContainerHome),
            new(project, project),
        };
        mounts.AddRange(protection.Mounts);
        var hostFiles = new Dictionary<string, string>();
        var gitconfig = Path.Combine(user.Home, ".gitconfig");
        if (File.Exists(gitconfig))
        {
            // A filtered copy: the sandbox gets the identity and settings, never a token or password kept there.
            var filtered = HostGitConfigFilter.Filter(File.ReadAllText(gitconfig));
            var copy = Path.Combine(paths.HostGitConfigDir, ContentHash.Short(filtered) + ".gitconfig");
            hostFiles[copy] = filtered;
            mounts.Add(new SandboxMount(copy, HostGitConfig, ReadOnly: true));
        }

        if (File.Exists("/etc/localtime"))
        {
            mounts.Add(new SandboxMount("/etc/localtime", "/etc/localtime", ReadOnly: true));
        }

        var volumes = ns.Volumes.Select((v, i) => (Text: v, Where: $"namespaces.{nsName}.volumes[{i}]"))
            .Concat(request.Volumes.Select(v => (Text: v, Where: "--volume")));
        foreach (var (text, where) in volumes)
        {
            if (Collect(problems, () => VolumeSpec.Parse(text, user.Home, where)) is not { } parsed)
            {
                continue;
            }

            // Checked and mounted as the engine will see it, every link resolved; named here, where the volume's origin
            // (a flag or a config line) is known. The spec validator checks again.
            var mount = parsed with { Source = HostPath.Resolve(parsed.Source) };
            var source = mount.Source == parsed.Source ? mount.Source : $"{parsed.Source} (which is {mount.Source})";
            if (Hardening.IsKernelFilesystem(parsed.Source) || Hardening.IsKernelFilesystem(mount.Source))
            {
                problems.Add($"{where} '{text}': {source} is part of /proc, /sys or /dev, which hand the sandbox the host's processes, devices or kernel settings; mount a directory of files instead");
            }
            else if (Hardening.ExposesEngineSocket(parsed.Source) || Hardening.ExposesEngineSocket(mount.Source))
            {
                problems.Add($"{where} '{text}': {source} would expose a container engine socket (and so the whole host) to the sandbox; mount a narrower directory");
            }
            else if (AbsolutePath.IsAtOrBelow(mount.Source, StateDir) || AbsolutePath.IsAtOrBelow(StateDir, mount.Source))
            {
                problems.Add($"{where} '{text}': {source} is or holds Airlock's state directory ({StateDir}), whose config decides what every sandbox may mount; mount a narrower directory");
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

        var isolation = IsolationFor(problems, nsName, ns, request, mapping.UsernsMode);
        var network = NetworkFor(problems, nsName, ns, request);
        if (ports.Count > 0 && network.Mode == NetworkPolicy.None)
        {
            problems.Add($"--forward/port-forwarding: the network of namespace {nsName} is {NetworkModes.None}, which nothing can be forwarded into; use --network {NetworkModes.Allowlist} (forwarded ports and the listed destinations) or leave the forwards out");
        }

        var secrets = SecretsFor(problems, warnings, nsName, ns, request, baseEnv, env.Keys, network);
        foreach (var secret in secrets)
        {
            baseEnv[secret.Variable] = secret.Placeholder;
        }

        foreach (var (name, value) in GitCredentialHelper.Variables(secrets))
        {
            baseEnv[name] = value;
        }

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

        var tmpfs = new Dictionary<string, string>(display.Tmpfs);
        var scratchBytes = Override(ns.Limits.TmpBytes, SandboxLimits.DefaultScratchBytes);
        if (scratchBytes is { } size)
        {
            foreach (var dir in ScratchDirs)
            {
                tmpfs[dir] = $"rw,nosuid,nodev,exec,mode=1777,size={size}";
            }
        }

        if (AbsolutePath.IsAtOrBelow(StateDir, project))
        {
            // A yes was given to mount a project holding the state dir: the sandbox sees an empty, read-only dir there.
            tmpfs[StateDir] = "ro,nosuid,nodev,noexec,mode=0755,size=4k";
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
            Tmpfs = tmpfs,
            Limits = new SandboxLimits(
                Override(ns.Limits.MemoryBytes, SandboxLimits.DefaultMemoryBytes),
                ns.Limits.Cpus switch { null => SandboxLimits.DefaultCpusFor(hostCpus ?? Environment.ProcessorCount), > 0 and var c => c, _ => null },
                Override(ns.Limits.Pids, SandboxLimits.DefaultPids)),
            // No scratch size (tmp: 0) keeps the image writable on disk, as engines make it; else only the scratch dirs are.
            Security = new SecurityPolicy([], ReadOnlyRootfs: scratchBytes is not null, Nesting: ns.Nesting == true),
            Network = network,
            Isolation = isolation,
            Tty = request.Tty,
            Interactive = true,
        };

        var errors = SandboxSpecValidator.Validate(spec, $"namespaces.{nsName}");
        if (errors.Count > 0)
        {
            throw new ValidationException("this launch", errors);
        }

        var session = SessionName(nsName);
        return new LaunchPlan(session, spec, warnings, display.Mode)
        {
            HostFiles = hostFiles,
            Protection = protection,
            Secrets = secrets,
            Owner = new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Namespace = nsName, Project = project, Session = session },
        };
    }

    /// <summary>What keeps a detached sandbox up between its commands: coreutils' sleep, under the sandbox's init.</summary>
    public static readonly IReadOnlyList<string> KeepAliveCommand = ["sleep", "infinity"];

    /// <summary>
    /// A sandbox that outlives one command, driven by <paramref name="client"/> (<see cref="SandboxOwner.Clients"/>)
    /// through execs instead of a person at a terminal: the very plan a launch of <paramref name="request"/> gets (mounts,
    /// user mapping, hardening, network, limits), with the keep-alive command in place of the namespace's, no terminal
    /// and no stdin, and the client written on its owner so that it finds its own sandboxes and only those.
    /// </summary>
    public LaunchPlan PlanDetached(string nsName, NamespaceConfig ns, LaunchRequest request, string client)
    {
        var plan = Plan(nsName, ns, request with { Command = KeepAliveCommand, CommandFlag = null, Tty = false, Display = "none" });
        return plan with
        {
            Spec = plan.Spec with { Tty = false, Interactive = false },
            Owner = plan.Owner with { Client = client },
        };
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

    /// <summary>
    /// The level: <c>--isolation</c>, else the namespace's <c>isolation:</c> (where a template's <c>defaults.isolation</c>
    /// is written when the namespace is made), else <see cref="IsolationLevel.Container"/>. A level this engine cannot
    /// run with the user mapping it needs is a problem named after where the level came from.
    /// </summary>
    private static IsolationLevel IsolationFor(List<string> problems, string nsName, NamespaceConfig ns, LaunchRequest request, string? usernsMode)
    {
        IsolationLevel level;
        string from;
        try
        {
            (level, from) = IsolationFlag(request.Isolation) is { } flag ? (flag, "--isolation")
                : ns.Isolation is { } configured ? (configured, $"namespaces.{nsName}.isolation")
                : (IsolationLevel.Container, "");
        }
        catch (LauncherException ex)
        {
            problems.Add(ex.Message);
            return IsolationLevel.Container;
        }

        if (!IsolationRules.CanRun(level, usernsMode))
        {
            problems.Add(
                $"{from}: {IsolationLevels.GvisorName} does not run on rootless podman, which keeps your uid inside with a user namespace (keep-id) that gVisor cannot set up. " +
                $"Use Docker (AIRLOCK_ENGINE=docker) or rootful podman (airlock run as root) for {IsolationLevels.GvisorName}, or --isolation {IsolationLevels.ContainerName}");
        }

        return level;
    }

    /// <summary>
    /// The network: <c>--network</c>, else the namespace's <c>network:</c>, else open (the bridge behind the guard); in
    /// allowlist mode the namespace's <c>network.allow</c> and every <c>--allow</c>. Each bad value is a problem naming its flag.
    /// </summary>
    private static NetworkPolicy NetworkFor(List<string> problems, string nsName, NamespaceConfig ns, LaunchRequest request)
    {
        var mode = request.Network ?? ns.Network ?? NetworkModes.Open;
        if (!NetworkModes.IsKnown(mode))
        {
            problems.Add($"--network: '{mode}' is not a network mode ({NetworkModes.Names})");
            mode = NetworkModes.None;
        }

        for (var i = 0; i < request.Allow.Count; i++)
        {
            if (!EgressRule.TryParse(request.Allow[i], out _, out var problem))
            {
                problems.Add($"--allow '{request.Allow[i]}': {problem}");
            }
        }

        var spec = NetworkModes.ToSpec(mode);
        if (request.Allow.Count > 0 && spec != NetworkPolicy.Allowlist)
        {
            problems.Add($"--allow: the network of namespace {nsName} is {mode}, where destinations are not listed; add --network {NetworkModes.Allowlist} (or set network: {{ mode: {NetworkModes.Allowlist} }} in its config)");
        }

        var hostPorts = ns.HostPorts.Concat(request.HostPorts).Distinct().ToList();
        if (hostPorts.Count > 0 && spec == NetworkPolicy.None)
        {
            problems.Add($"--host-port/hostPorts: the network of namespace {nsName} is {NetworkModes.None} (loopback only), which reaches no host port; use --network {NetworkModes.Allowlist} (host ports and the listed destinations) or leave the host ports out");
        }

        return new NetworkPolicy(spec, hostPorts)
        {
            // A bad --allow is one of the problems above, which stop the launch before this policy is used.
            Allow = spec == NetworkPolicy.Allowlist ? [.. ns.NetworkAllow, .. request.Allow] : [],
        };
    }

    /// <summary>
    /// The secrets of this launch: each <c>--secret NAME[=SOURCE]</c>, then the namespace's <c>secrets:</c>, then the
    /// agent's provider keys. A name is looked up in <c>secrets:</c>, else among the provider keys Airlock knows; its
    /// value is read from SOURCE, else the entry's <c>from</c>, else the host variable of its name. Only the allowlist
    /// network has the policy point that adds values: elsewhere a <c>--secret</c> is a problem and the others are left
    /// out, with a warning, never passed as plain values.
    /// </summary>
    private static List<PlannedSecret> SecretsFor(
        List<string> problems, List<string> warnings, string nsName, NamespaceConfig ns, LaunchRequest request, IReadOnlyDictionary<string, string> env,
        IEnumerable<string> plain, NetworkPolicy network)
    {
        var planned = new List<PlannedSecret>();
        var plainNames = plain.ToHashSet(StringComparer.Ordinal);
        foreach (var made in request.MadeSecrets)
        {
            if (network.Mode != NetworkPolicy.Allowlist)
            {
                problems.Add($"{made.Where}: secrets need the {NetworkModes.Allowlist} network (its policy point adds them), and namespace {nsName}'s is {NetworkModes.FromSpec(network.Mode)}; set network: {{ mode: {NetworkModes.Allowlist} }} in its config");
                continue;
            }

            planned.Add(made);
        }

        var wanted = request.Secrets.Select(f => (Flag: f, Where: $"--secret {f}", Soft: false))
            .Concat(ns.Secrets.Keys.Select(n => (Flag: n, Where: $"namespaces.{nsName}.secrets.{n}", Soft: true)))
            .Concat(request.AgentSecrets.Select(n => (Flag: n, Where: $"the agent's {n}", Soft: true)));
        foreach (var (flag, where, soft) in wanted)
        {
            var eq = flag.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? flag : flag[..eq];
            if (planned.Any(p => p.Name == name))
            {
                continue;
            }

            ns.Secrets.TryGetValue(name, out var configured);
            var variable = configured?.Variable ?? name;
            if (network.Mode != NetworkPolicy.Allowlist)
            {
                if (soft)
                {
                    warnings.Add($"{where}: ${variable} is not given to the sandbox: secrets are added by the policy point of the {NetworkModes.Allowlist} network, and this launch's is {NetworkModes.FromSpec(network.Mode)}. Use --network {NetworkModes.Allowlist}, or -e {variable} to pass the real value in plain sight of the sandbox");
                }
                else
                {
                    problems.Add($"{where}: secrets need the {NetworkModes.Allowlist} network (its policy point adds them), and this launch's is {NetworkModes.FromSpec(network.Mode)}; add --network {NetworkModes.Allowlist}");
                }

                continue;
            }

            if (plainNames.Contains(variable))
            {
                if (!soft || configured is not null)
                {
                    problems.Add($"{where}: {variable} is also given as a plain variable (-e or environment:); keep one: the secret (a placeholder inside), or the plain value");
                }

                // An explicit -e for an agent's key: the plain value, as asked.
                continue;
            }

            var provider = ProviderSecrets.For(name, env);
            var hosts = configured is { Hosts.Count: > 0 } ? configured.Hosts : provider?.Hosts;
            if (hosts is null)
            {
                problems.Add($"{where}: Airlock does not know which hosts {name} may go to; describe it under secrets: in the namespace's config (docs/secrets.md), or use a provider key it knows: {string.Join(", ", ProviderSecrets.Names)}");
                continue;
            }

            SecretInjection? injection = provider?.Injection ?? SecretInjection.Bearer;
            if (configured?.Inject is { } inject && !SecretInjection.TryParse(inject, out injection, out var badInject))
            {
                problems.Add($"{where}: {badInject}");
                continue;
            }

            var sourceText = eq >= 0 ? flag[(eq + 1)..] : configured?.From;
            SecretSource source;
            try
            {
                source = sourceText is null ? SecretSource.FromEnv(name) : SecretSource.Parse(sourceText, where);
            }
            catch (LauncherException ex)
            {
                problems.Add(ex.Message);
                continue;
            }

            planned.Add(new PlannedSecret(name, variable, SecretPlaceholder.New(name), source, hosts.Select(EgressRule.Parse).ToList(), injection!, where));
        }

        return planned;
    }

    /// <summary>The level <c>--isolation</c> names (null when not given); any other word is an error naming the flag and the levels.</summary>
    public static IsolationLevel? IsolationFlag(string? flag) =>
        flag is null ? null
            : IsolationLevels.TryParse(flag) ?? throw new LauncherException($"--isolation: {IsolationLevels.ErrorFor(flag)}");

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
