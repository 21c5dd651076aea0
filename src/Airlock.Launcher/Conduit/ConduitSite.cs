namespace Airlock.Launcher.Conduit;

/// <summary>Where <c>airlock conduit</c> runs, which decides how the host's loopback is reached and where the home is.</summary>
public enum ConduitSite
{
    Host,
    Sandbox,
}

public static class ConduitSiteDetector
{
    /// <summary>Set by the launcher in every sandbox (see LaunchPlanner).</summary>
    public const string NamespaceVariable = "AIRLOCK_NAMESPACE";

    /// <summary>The engines' init processes, which are PID 1 of every sandbox (the launcher always asks for one).</summary>
    private static readonly string[] ContainerInits = ["catatonit", "podman-init", "docker-init", "tini", "tini-static"];

    /// <summary>
    /// A sandbox is a container (podman writes /run/.containerenv, Docker /.dockerenv, and PID 1 is the engine's init;
    /// podman writes no .containerenv into a read-only image) that the launcher started (it sets AIRLOCK_NAMESPACE).
    /// Both are required: a stray variable on the host, or airlock in someone else's container, is not an Airlock
    /// sandbox whose host is reachable as host.airlock.internal.
    /// </summary>
    public static ConduitSite Detect(Func<string, string?> getVariable, Func<string, bool>? fileExists = null, Func<string, string?>? readFile = null)
    {
        fileExists ??= File.Exists;
        readFile ??= ReadOrNull;
        var inContainer = fileExists("/run/.containerenv") || fileExists("/.dockerenv") || ContainerInits.Contains(readFile("/proc/1/comm")?.Trim());
        return inContainer && getVariable(NamespaceVariable) is { Length: > 0 } ? ConduitSite.Sandbox : ConduitSite.Host;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string Describe(this ConduitSite site) => site == ConduitSite.Host ? "the host" : "inside the sandbox";
}
