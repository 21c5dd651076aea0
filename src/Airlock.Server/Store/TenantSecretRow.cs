using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Secrets;
using Airlock.Server.Secrets;

namespace Airlock.Server.Store;

/// <summary>The tenant_secrets table as Dapper reads it.</summary>
internal sealed class TenantSecretRow
{
    public const string Columns = "tenant_id, name, variable, hosts, injection, key_id, value, created_at, updated_at";

    public string Tenant_Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Variable { get; set; } = "";
    public string Hosts { get; set; } = "";
    public string Injection { get; set; } = "";
    public string Key_Id { get; set; } = "";
    public string Value { get; set; } = "";
    public long Created_At { get; set; }
    public long Updated_At { get; set; }

    /// <summary>The secret without its value. A host or a form this version cannot read (a newer server's) is left out, which only narrows.</summary>
    public TenantSecret ToSecret() => new(
        Tenant_Id,
        Name,
        Variable,
        Hosts.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => EgressRule.TryParse(text, out var rule, out _) ? rule : null)
            .OfType<EgressRule>()
            .ToList(),
        SecretInjection.TryParse(Injection, out var injection, out _) ? injection : SecretInjection.Bearer,
        DateTimeOffset.FromUnixTimeMilliseconds(Created_At),
        DateTimeOffset.FromUnixTimeMilliseconds(Updated_At));

    public SealedTenantSecret ToSealed() => new(ToSecret(), Key_Id, Value);
}
