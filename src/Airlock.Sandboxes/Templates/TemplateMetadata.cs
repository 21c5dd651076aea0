using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Templates;

/// <summary>A template's optional <c>template.yaml</c>: what it is, where it runs, and defaults for new namespaces.</summary>
public sealed record TemplateMetadata(
    string? Description,
    IReadOnlyList<TemplatePlatform> Platforms,
    string? DefaultDisplay,
    IReadOnlyList<string>? DefaultCommand)
{
    public static readonly TemplateMetadata Empty = new(null, [], null, null);

    /// <summary><c>defaults.isolation</c>: the level a namespace made from it gets in its config; null leaves it out (<c>container</c>).</summary>
    public IsolationLevel? DefaultIsolation { get; init; }

    /// <summary>
    /// <c>defaults.network</c>: the network a namespace made from it gets in its config; null when the template says
    /// nothing, and the namespace gets <see cref="NetworkModes.Allowlist"/> with nothing listed.
    /// </summary>
    public NetworkSetting? DefaultNetwork { get; init; }
}

/// <summary>A host a template supports: os (linux, darwin), arch (amd64, arm64), runtime (podman, docker).</summary>
public sealed record TemplatePlatform(string Os, string Arch, string Runtime)
{
    public override string ToString() => $"{Os}/{Arch}/{Runtime}";
}
