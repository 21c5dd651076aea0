using System.Reflection;

namespace Airlock.Sandboxes.Templates;

/// <summary>The templates compiled into this assembly (the repository's templates/ folder), for the launcher and the server alike.</summary>
public static class BakedInTemplates
{
    private const string Prefix = "templates/";
    public const string SharedName = "_shared";

    private static readonly Assembly Assembly = typeof(BakedInTemplates).Assembly;

    public static IReadOnlyList<string> Names { get; } = Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..].Split('/')[0])
        .Where(n => n != SharedName)
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    public static bool Exists(string name) => Names.Contains(name);

    /// <summary>Writes a baked-in template's files (or <see cref="SharedName"/>'s) into <paramref name="target"/>.</summary>
    public static void Extract(string name, string target)
    {
        var prefix = $"{Prefix}{name}/";
        foreach (var resource in Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var path = Path.Combine(target, resource[prefix.Length..]);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var input = Assembly.GetManifestResourceStream(resource)!;
            using var output = File.Create(path);
            input.CopyTo(output);
        }
    }
}
