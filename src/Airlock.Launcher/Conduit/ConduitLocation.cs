using Airlock.Launcher.Config;
using Airlock.Sandboxes.Paths;

namespace Airlock.Launcher.Conduit;

/// <summary>
/// The namespace conduit works on and its home as seen from where conduit runs: on the host the namespace's home dir under
/// ~/.airlock/namespaces, inside a sandbox $HOME (the same directory, mounted).
/// </summary>
public sealed record ConduitLocation(ConduitSite Site, string Namespace, string Home)
{
    /// <summary>The namespace the host side works on when none is named: the one agents run in.</summary>
    public const string DefaultNamespace = "agents";

    public ConduitStore Store => new(Home);

    public static ConduitLocation Resolve(ConduitSite site, string? requested, AirlockPaths paths, Func<string, string?> getVariable)
    {
        if (site == ConduitSite.Sandbox)
        {
            var current = getVariable(ConduitSiteDetector.NamespaceVariable)!;
            if (requested is not null && requested != current)
            {
                throw new ConduitException(
                    $"--namespace {requested}: inside a sandbox conduit works on this sandbox's namespace ('{current}') only",
                    $"drop --namespace, or run the command on the host: airlock conduit ... --namespace {requested}");
            }

            var home = getVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return new ConduitLocation(site, current, home);
        }

        var name = requested ?? DefaultNamespace;
        var dir = paths.NamespaceHome(name);
        if (!ConfigLoader.Load(paths.ConfigFile).Namespaces.ContainsKey(name) || !Directory.Exists(dir))
        {
            throw new ConduitException(
                $"no namespace '{name}' in {paths.Contract(paths.ConfigFile)} (or its home {paths.Contract(dir)} is gone)",
                requested is null
                    ? $"create it: airlock create namespace {DefaultNamespace} cli-agents; or name another with --namespace NS (airlock list namespaces)"
                    : $"check the name (airlock list namespaces), or create it: airlock create namespace {name} cli-agents");
        }

        return new ConduitLocation(site, name, dir);
    }
}
