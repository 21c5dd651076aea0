using Airlock.Sandboxes.Templates;

namespace Airlock.Launcher.Config;

/// <summary>The contents of <c>~/.airlock/config.yaml</c>, the source of truth for every namespace.</summary>
public sealed record AirlockConfig
{
    public const string DefaultBaseImage = TemplateBuild.DefaultBaseImage;

    /// <summary>The image baked-in templates build FROM: a registry image for real users, the local mmdebstrap image here.</summary>
    public string BaseImage { get; init; } = DefaultBaseImage;

    public IReadOnlyDictionary<string, NamespaceConfig> Namespaces { get; init; } = new SortedDictionary<string, NamespaceConfig>(StringComparer.Ordinal);

    public AirlockConfig WithNamespace(string name, NamespaceConfig ns)
    {
        var map = new SortedDictionary<string, NamespaceConfig>(Namespaces.ToDictionary(), StringComparer.Ordinal) { [name] = ns };
        return this with { Namespaces = map };
    }

    public AirlockConfig WithoutNamespace(string name)
    {
        var map = new SortedDictionary<string, NamespaceConfig>(Namespaces.ToDictionary(), StringComparer.Ordinal);
        map.Remove(name);
        return this with { Namespaces = map };
    }
}
