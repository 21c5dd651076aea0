using System.Text.Json.Serialization;
using Airlock.Sandboxes.Specs;

namespace Airlock.Cli.Launcher;

public sealed record ListedNamespace(string Name, string Image, string? Template, string BuildDir, bool ImagePresent, bool HomePresent);

public sealed record ListedSession(string Session, string Namespace, string Project, string Status, DateTimeOffset Created, IsolationLevel Isolation);

public sealed record ListedTemplate(string Name, string Source, string? Description, bool ShadowsBakedIn);

/// <summary>What <c>--dry-run</c> prints: the session it would start, the exact sandbox spec, and its secrets (never their values).</summary>
public sealed record DryRun(string Session, string DisplayMode, IReadOnlyList<string> Warnings, SandboxSpec Spec, IReadOnlyList<string> Secrets);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(IsolationLevelJsonConverter)])]
[JsonSerializable(typeof(List<ListedNamespace>))]
[JsonSerializable(typeof(List<ListedSession>))]
[JsonSerializable(typeof(List<ListedTemplate>))]
[JsonSerializable(typeof(DryRun))]
internal sealed partial class LauncherJson : JsonSerializerContext;
