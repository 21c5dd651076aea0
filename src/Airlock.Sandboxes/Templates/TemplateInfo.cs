namespace Airlock.Sandboxes.Templates;

/// <summary>A template as listed: its name (or URL), where it comes from, and whether a user copy hides a baked-in one.</summary>
public sealed record TemplateInfo(string Name, TemplateKind Kind, string? Description, bool ShadowsBakedIn);
