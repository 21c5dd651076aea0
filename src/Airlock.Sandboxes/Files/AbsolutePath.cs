namespace Airlock.Sandboxes.Files;

/// <summary>How two absolute, normalised host paths relate; the one rule for "inside this directory".</summary>
public static class AbsolutePath
{
    /// <summary>True when <paramref name="path"/> is <paramref name="dir"/> or below it (<c>/a/bc</c> is not below <c>/a/b</c>).</summary>
    public static bool IsAtOrBelow(string path, string dir) =>
        path == dir || dir == "/" || path.StartsWith(dir.TrimEnd('/') + "/", StringComparison.Ordinal);
}
