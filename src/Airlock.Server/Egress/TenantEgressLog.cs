using Airlock.Sandboxes.Egress;

namespace Airlock.Server.Egress;

/// <summary>What one tenant's sandbox proxy writes to: its records, marked with the tenant, handed to the <see cref="EgressRecordWriter"/>.</summary>
internal sealed class TenantEgressLog(EgressRecordWriter writer, string tenantId) : IEgressLog
{
    public ValueTask WriteAsync(EgressRecord record, CancellationToken cancellationToken)
    {
        writer.Add(tenantId, record);
        return ValueTask.CompletedTask;
    }
}
