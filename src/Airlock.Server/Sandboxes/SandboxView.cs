using System.Text.Json;
using Airlock.Sandboxes.Specs;

namespace Airlock.Server.Sandboxes;

/// <summary>A sandbox as the API shows it.</summary>
public sealed record SandboxView(
    string Id,
    string Name,
    string Tenant,
    string Image,
    string? Template,
    string Isolation,
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
        new(r.Id, r.Name, r.TenantId, r.Image, StoredField(r.Spec, "template"), StoredField(r.Spec, "isolation") ?? IsolationLevels.ContainerName, r.State, r.Node, r.CpuMillis / 1000.0, r.MemoryBytes, r.Labels, r.ExitCode, r.Error, r.CreatedAt, r.UpdatedAt);

    /// <summary>
    /// A string field of the stored create request: the template the sandbox was made from, its isolation level (absent
    /// in rows from before levels existed, which ran as ordinary containers).
    /// </summary>
    private static string? StoredField(string spec, string field)
    {
        try
        {
            using var document = JsonDocument.Parse(spec);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
