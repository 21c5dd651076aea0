using Airlock.Server.Sandboxes;

namespace Airlock.Server.Store;

internal sealed class SandboxRow
{
    public const string Columns = "id, tenant_id, name, image, spec, state, node, container_id, cpu_millis, memory_bytes, exit_code, error, created_at, updated_at, expires_at, on_timeout, idle_timeout_ms, last_active_at";

    public string Id { get; set; } = "";
    public string Tenant_Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Image { get; set; } = "";
    public string Spec { get; set; } = "";
    public string State { get; set; } = "";
    public string Node { get; set; } = "";
    public string? Container_Id { get; set; }
    public long Cpu_Millis { get; set; }
    public long Memory_Bytes { get; set; }
    public long? Exit_Code { get; set; }
    public string? Error { get; set; }
    public long Created_At { get; set; }
    public long Updated_At { get; set; }
    public long? Expires_At { get; set; }
    public string? On_Timeout { get; set; }
    public long? Idle_Timeout_Ms { get; set; }
    public long? Last_Active_At { get; set; }

    public SandboxRecord ToRecord(IReadOnlyDictionary<string, string> labels) => new(
        Id, Tenant_Id, Name, Image, State, Node, Container_Id, Cpu_Millis, Memory_Bytes, (int?)Exit_Code, Error, labels, Spec,
        DateTimeOffset.FromUnixTimeMilliseconds(Created_At), DateTimeOffset.FromUnixTimeMilliseconds(Updated_At))
    {
        Lifetime = On_Timeout is null ? null : new SandboxLifetime(
            Expires_At is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
            On_Timeout,
            Idle_Timeout_Ms is { } idle ? TimeSpan.FromMilliseconds(idle) : null,
            Last_Active_At is { } active ? DateTimeOffset.FromUnixTimeMilliseconds(active) : null),
    };
}
