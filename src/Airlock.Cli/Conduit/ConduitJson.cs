using System.Text.Json.Serialization;

namespace Airlock.Cli.Conduit;

/// <summary>What <c>conduit show --json</c> prints; the API key itself never appears, only whether one is set.</summary>
public sealed record ConduitShown(
    string Namespace,
    string RunningOn,
    string SettingsFile,
    string? Endpoint,
    string? Preset,
    string? UrlFromHost,
    string? UrlFromSandbox,
    int? ForwardedHostPort,
    bool ApiKeySet,
    IReadOnlyDictionary<string, string> LastModels);

/// <summary>What <c>conduit models --json</c> prints.</summary>
public sealed record ConduitModels(string Namespace, string Url, string TriedFrom, IReadOnlyList<string> Models);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConduitShown))]
[JsonSerializable(typeof(ConduitModels))]
internal sealed partial class ConduitCliJson : JsonSerializerContext;
