using System.Text.Json;

namespace Airlock.Server.Sandboxes;

/// <summary>A sandbox as the API shows it.</summary>
public sealed record SandboxView(
    string Id,
    string Name,
    string Tenant,
    string Image,
    string? Template,
    string State,
    string Node,
    double Cpus,
    long MemoryBytes,
    IReadOnlyDictionary<string, string> Labels,
    int? ExitCode,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static SandboxView From(SandboxRecord r) =>
        new(r.Id, r.Name, r.TenantId, r.Image, TemplateOf(r.Spec), r.State, r.Node, r.CpuMillis / 1000.0, r.MemoryBytes, r.Labels, r.ExitCode, r.Error, r.CreatedAt, r.UpdatedAt);

    /// <summary>The template the sandbox was made from, read from the stored create request.</summary>
    private static string? TemplateOf(string spec)
    {
        try
        {
            using var document = JsonDocument.Parse(spec);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("template", out var template) && template.ValueKind == JsonValueKind.String
                ? template.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
