using System.Text.Json;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Egress;
using Airlock.Server.Errors;
using Airlock.Server.Store;
using Airlock.Server.Tenants;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// <c>PUT /v1/sandboxes/{id}/network</c>: an allowlist sandbox's destinations change while it runs (its proxy takes the
/// new policy for every connection from then on), within the tenant's ceiling. Its mode does not: how a sandbox is
/// wired (a guard, a proxy socket, no interface) is made with its container, so a change of mode is a new sandbox.
/// </summary>
public sealed class SandboxNetworkService(SandboxService sandboxes, SandboxStore store, TenantStore tenants, SandboxEgressHosts egressHosts)
{
    private const string Root = "network";

    public async Task<SandboxRecord> SetAsync(string tenantId, string id, SandboxNetworkRequest request, CancellationToken ct)
    {
        var sandbox = await sandboxes.GetAsync(tenantId, id, ct);
        var errors = new ValidationErrors();
        var asked = SandboxNetworkRules.Check(request, errors, Root);
        errors.ThrowIfAny("the network");

        var stored = JsonSerializer.Deserialize<CreateSandboxRequest>(sandbox.Spec, ServerJson.Options)
            ?? throw new InvalidOperationException($"sandbox {id} has no stored spec");
        var current = SandboxView.From(sandbox).Network.Mode;
        var wanted = SandboxNetworkRules.ModeName(asked.Mode);
        if (current != wanted)
        {
            throw ApiException.Conflict(
                $"network.mode: sandbox {id} is {current}, and a sandbox's mode cannot change while it exists (its network is wired when its container is made); "
                + $"delete it and create it again with \"network\": {{\"mode\": \"{wanted}\"}}, or snapshot it first and create the new one from the snapshot");
        }

        if (sandbox.State is SandboxState.Creating or SandboxState.Deleting or SandboxState.Restoring)
        {
            throw ApiException.Conflict($"sandbox {id} is {sandbox.State}; change its network once that is done");
        }

        var tenant = await tenants.GetAsync(tenantId, ct);
        SandboxNetworkRules.EnforceCeiling(asked, tenant?.Egress ?? TenantEgress.Default, Root);
        if (asked.Mode != EgressMode.Allowlist)
        {
            return sandbox;
        }

        // Stored first: a server that starts again (or a restore) hosts the proxy with what the store says.
        var spec = JsonSerializer.Serialize(stored with { Network = SandboxNetworkRules.ToRequest(asked) }, ServerJson.Options);
        if (!await store.SetSpecAsync(tenantId, id, spec, ct))
        {
            throw ApiException.NotFound($"sandbox '{id}' does not exist in tenant '{tenantId}'");
        }

        egressHosts.Update(id, asked);
        return await sandboxes.GetAsync(tenantId, id, ct);
    }
}
