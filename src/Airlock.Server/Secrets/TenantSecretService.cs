using System.Security.Cryptography;
using System.Text;
using Airlock.Sandboxes.Secrets;
using Airlock.Server.Egress;
using Airlock.Server.Errors;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Secrets;

/// <summary>
/// A tenant's secrets and what sandboxes make of them. A value is sealed under the server's <see cref="SecretsKey"/> as
/// it comes in and opened only to give a sandbox's proxy its <see cref="SecretSet"/>: when the proxy is hosted (create,
/// restore, the server's start) and when the secret changes. A sandbox holds its secrets by name: setting a secret
/// again (a rotated value, other hosts) or deleting it reaches the proxies this server hosts for the tenant's running
/// sandboxes at once, for their next connection.
/// </summary>
public sealed partial class TenantSecretService(
    TenantSecretStore store,
    SandboxSecretStore sandboxSecrets,
    TenantStore tenants,
    SecretsKey key,
    SandboxEgressHosts egressHosts,
    TimeProvider time,
    ILogger<TenantSecretService> logger)
{
    /// <summary>Creates or replaces the secret; 404 for an unknown tenant, 400/403 for what <see cref="SecretRules"/> refuses, 409 past the tenant's bound.</summary>
    public async Task<(TenantSecret Secret, bool Created)> SetAsync(string tenantId, SetSecretRequest request, CancellationToken ct)
    {
        var tenant = await tenants.GetAsync(tenantId, ct) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenantId)}' does not exist");
        var (name, variable, hosts, injection, value) = SecretRules.Check(request, tenant.Egress);
        var sealedValue = key.Seal(Encoding.UTF8.GetBytes(value), SealedOwner.TenantSecret(tenantId, name));
        var result = await store.SetAsync(tenantId, name, variable, hosts, injection, key.Id, sealedValue, ServerLimits.MaxSecretsPerTenant, ct)
            ?? throw ApiException.Conflict($"tenant '{tenantId}' has {ServerLimits.MaxSecretsPerTenant} secrets, the most it may keep; delete one it no longer uses (DELETE /v1/tenants/{tenantId}/secrets/NAME)");
        // Stored: the running proxies follow even if the caller has gone meanwhile.
        await RefreshHostedAsync(tenantId, name, CancellationToken.None);
        return result;
    }

    /// <summary>Deletes the secret; false when there is none. Running sandboxes' proxies stop filling it in.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string name, CancellationToken ct)
    {
        if (!await store.DeleteAsync(tenantId, name, ct))
        {
            return false;
        }

        await RefreshHostedAsync(tenantId, name, CancellationToken.None);
        return true;
    }

    /// <summary>The tenant's secrets among <paramref name="names"/>, by name (for checking a create).</summary>
    public async Task<IReadOnlyDictionary<string, SealedTenantSecret>> FindAsync(string tenantId, IReadOnlyCollection<string> names, CancellationToken ct) =>
        (await store.GetSealedAsync(tenantId, names, ct)).ToDictionary(s => s.Secret.Name, StringComparer.Ordinal);

    /// <summary>
    /// A new sandbox's secrets: a placeholder each, and an authority of its own; what is stored with it (the authority
    /// sealed) and what runs.
    /// </summary>
    public (SandboxSecrets Live, SealedSandboxSecrets Stored) Prepare(string tenantId, string sandboxId, IReadOnlyList<SealedTenantSecret> secrets)
    {
        var bindings = secrets.Select(s => new SandboxSecretBinding(s.Secret.Name, s.Secret.Variable, SecretPlaceholder.New(s.Secret.Name))).ToList();
        var authority = SandboxCertificateAuthority.Create(sandboxId, time);
        try
        {
            var stored = new SealedSandboxSecrets(bindings, key.Id, key.Seal(authority.Export(), SealedOwner.SandboxAuthority(tenantId, sandboxId)));
            return (new SandboxSecrets(bindings, new HostedSecrets(SetOf(bindings, secrets), authority)), stored);
        }
        catch
        {
            authority.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A stored sandbox's secrets with the values of now (a secret deleted since is left out); null when it has none.
    /// Throws <see cref="SecretsKeyException"/> when what is stored was sealed under another key.
    /// </summary>
    public async Task<SandboxSecrets?> LoadAsync(string tenantId, string sandboxId, CancellationToken ct)
    {
        if (await sandboxSecrets.GetAsync(tenantId, sandboxId, ct) is not { } stored)
        {
            return null;
        }

        var authority = SandboxCertificateAuthority.Import(Open(stored.KeyId, stored.Authority, SealedOwner.SandboxAuthority(tenantId, sandboxId)), time);
        try
        {
            return new SandboxSecrets(stored.Bindings, new HostedSecrets(await SetAsync(tenantId, stored.Bindings, ct), authority));
        }
        catch
        {
            authority.Dispose();
            throw;
        }
    }

    private async Task<SecretSet> SetAsync(string tenantId, IReadOnlyList<SandboxSecretBinding> bindings, CancellationToken ct) =>
        SetOf(bindings, await store.GetSealedAsync(tenantId, bindings.Select(b => b.Name).ToList(), ct));

    /// <summary>Each binding whose secret exists, with its value opened, its hosts and its place of now.</summary>
    private SecretSet SetOf(IReadOnlyList<SandboxSecretBinding> bindings, IReadOnlyList<SealedTenantSecret> secrets)
    {
        var byName = secrets.ToDictionary(s => s.Secret.Name, StringComparer.Ordinal);
        var bound = new List<SecretBinding>();
        foreach (var binding in bindings)
        {
            if (byName.TryGetValue(binding.Name, out var found))
            {
                var value = Encoding.UTF8.GetString(Open(found.KeyId, found.Value, SealedOwner.TenantSecret(found.Secret.TenantId, found.Secret.Name)));
                bound.Add(new SecretBinding(binding.Name, binding.Variable, binding.Placeholder, new SecretValue(value), found.Secret.Hosts, found.Secret.Injection));
            }
        }

        return new SecretSet(bound);
    }

    private byte[] Open(string keyId, string sealedText, string owner)
    {
        if (keyId != key.Id)
        {
            throw new SecretsKeyException(
                $"a value in the database is sealed under secrets key {keyId}, and this server has {key.Id}",
                "servers sharing a database need the same secrets key: give this one the same --secrets-key-file as the others");
        }

        try
        {
            return key.Open(sealedText, owner);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new SecretsKeyException(
                $"a value sealed under secrets key {keyId} does not open ({ex.Message}): it was changed or moved to another row outside airlock",
                "set that secret again (POST /v1/tenants/{tenant}/secrets), or restore the database from a backup");
        }
    }

    /// <summary>Gives every proxy this server hosts for a sandbox bound to <paramref name="name"/> the secrets as they are now.</summary>
    private async Task RefreshHostedAsync(string tenantId, string name, CancellationToken ct)
    {
        foreach (var sandboxId in await sandboxSecrets.SandboxesBoundToAsync(tenantId, name, ct))
        {
            if (!egressHosts.IsHosting(sandboxId) || await sandboxSecrets.GetAsync(tenantId, sandboxId, ct) is not { } stored)
            {
                continue;
            }

            if (egressHosts.UpdateSecrets(sandboxId, await SetAsync(tenantId, stored.Bindings, ct)))
            {
                LogRefreshed(logger, sandboxId, name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "the egress proxy of sandbox {Id} took the new state of secret {Name}")]
    private static partial void LogRefreshed(ILogger logger, string id, string name);
}
