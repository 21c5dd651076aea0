using System.Text.Json.Serialization;
using Airlock.Sandboxes.Specs;

namespace Airlock.Cli.Launcher;

public sealed record ListedNamespace(string Name, string Image, string? Template, string BuildDir, bool ImagePresent, bool HomePresent);

public sealed record ListedSession(string Session, string Namespace, string Project, string Status, DateTimeOffset Created, IsolationLevel Isolation);

public sealed record ListedTemplate(string Name, string Source, string? Description, bool ShadowsBakedIn);

/// <summary>What <c>--dry-run</c> prints: the session it would start, the exact sandbox spec, and its secrets (never their values).</summary>
public sealed record DryRun(string Session, string DisplayMode, IReadOnlyList<string> Warnings, SandboxSpec Spec, IReadOnlyList<string> Secrets)
{
    /// <summary>With <c>--create</c> from a git template: the network it asked for that the namespace would not get.</summary>
    public WithheldTemplateNetwork? TemplateNetworkWithheld { get; init; }
}

/// <summary>A git template's <c>defaults.network</c> as asked for and withheld: <c>open</c>, or <c>allowlist</c> with its list.</summary>
public sealed record WithheldTemplateNetwork(string Template, string Mode, IReadOnlyList<string> Allow);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(IsolationLevelJsonConverter)])]
[JsonSerializable(typeof(List<ListedNamespace>))]
[JsonSerializable(typeof(List<ListedSession>))]
[JsonSerializable(typeof(List<ListedTemplate>))]
[JsonSerializable(typeof(DryRun))]
internal sealed partial class LauncherJson : JsonSerializerContext;
