namespace Airlock.Server.Sandboxes;

/// <summary>Paths inside a sandbox given by a tenant: absolute, no '..' segment, no NUL, bounded length.</summary>
public static class Paths
{
    public static bool IsSafeAbsolute(string path) =>
        path.Length is > 0 and <= 4096
        && path.StartsWith('/')
        && !path.Contains('\0', StringComparison.Ordinal)
        && !path.Split('/').Contains("..");
}
