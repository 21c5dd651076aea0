using Airlock.Server.Tenants;

namespace Airlock.Server.Store;

/// <summary>The tenants table as Dapper reads it.</summary>
internal sealed class TenantRow
{
    public string Id { get; set; } = "";
    public string Display_Name { get; set; } = "";
    public string Tier { get; set; } = "";
    public long Max_Sandboxes { get; set; }
    public long Max_Cpu_Millis { get; set; }
    public long Max_Memory_Bytes { get; set; }
    public long Used_Sandboxes { get; set; }
    public long Used_Cpu_Millis { get; set; }
    public long Used_Memory_Bytes { get; set; }
    public long Created_At { get; set; }
    public string Isolation_Levels { get; set; } = "";
    public string Isolation_Default { get; set; } = "";
    public long Egress_Open { get; set; } = 1;
    public string Egress_Allow { get; set; } = "";

    public const string Columns = "id, display_name, tier, max_sandboxes, max_cpu_millis, max_memory_bytes, used_sandboxes, used_cpu_millis, used_memory_bytes, created_at, isolation_levels, isolation_default, egress_open, egress_allow";

    public Tenant ToTenant() => new(
        Id,
        Display_Name,
        Tier,
        new TenantQuota(Max_Sandboxes, Max_Cpu_Millis, Max_Memory_Bytes),
        new TenantUsage(Used_Sandboxes, Used_Cpu_Millis, Used_Memory_Bytes),
        DateTimeOffset.FromUnixTimeMilliseconds(Created_At))
    {
        Isolation = TenantIsolation.FromStored(Isolation_Levels, Isolation_Default),
        Egress = TenantEgress.FromStored(Egress_Allow, Egress_Open),
    };
}
