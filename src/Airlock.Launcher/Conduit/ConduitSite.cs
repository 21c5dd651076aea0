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

    /// <summary>
    /// A sandbox is a container (podman writes /run/.containerenv, Docker /.dockerenv) that the launcher started (it sets
    /// AIRLOCK_NAMESPACE). Both are required: a stray variable on the host, or airlock in someone else's container, is
    /// not an Airlock sandbox whose host is reachable as host.airlock.internal.
    /// </summary>
    public static ConduitSite Detect(Func<string, string?> getVariable, Func<string, bool>? fileExists = null)
    {
        fileExists ??= File.Exists;
        var inContainer = fileExists("/run/.containerenv") || fileExists("/.dockerenv");
        return inContainer && getVariable(NamespaceVariable) is { Length: > 0 } ? ConduitSite.Sandbox : ConduitSite.Host;
    }

    public static string Describe(this ConduitSite site) => site == ConduitSite.Host ? "the host" : "inside the sandbox";
}
