namespace Airlock.Launcher.Config;

/// <summary>Variables forwarded into a namespace: literal values, file contents, or the host's own variables.</summary>
public sealed record EnvironmentConfig(
    IReadOnlyDictionary<string, string> FromMap,
    IReadOnlyDictionary<string, string> FromFile,
    IReadOnlyDictionary<string, string> FromEnv)
{
    public static readonly EnvironmentConfig Empty = new(new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>());

    public bool IsEmpty => FromMap.Count == 0 && FromFile.Count == 0 && FromEnv.Count == 0;
}
