namespace Airlock.Cli;

/// <summary>Airlock's own version: &lt;Version&gt; of the project plus the git commit, fixed at build time (BuildInfo).</summary>
public static class AirlockVersion
{
    /// <summary>The informational version, e.g. <c>0.1.0+b3d96be2…</c>.</summary>
    public const string Full = BuildInfo.InformationalVersion;

    /// <summary>The release number without the commit, e.g. <c>0.1.0</c>.</summary>
    public static string Number => Full.Split('+')[0];

    /// <summary>The commit Airlock was built from (12 characters), when the build knew it.</summary>
    public static string? Commit => Full.Split('+') is [_, var sha, ..] ? sha[..Math.Min(12, sha.Length)] : null;

    /// <summary>The line <c>airlock --version</c> prints.</summary>
    public static string Line => Commit is { } commit ? $"airlock version {Number} (commit {commit})" : $"airlock version {Number}";
}
