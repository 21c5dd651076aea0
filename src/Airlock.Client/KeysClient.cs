namespace Airlock.Client;

/// <summary>
/// API keys: a tenant's (<c>/v1/tenants/{tenant}/keys</c>) or, with a null tenant, the system's
/// (<c>/v1/system/keys</c>). A created key's secret is shown once, in <see cref="CreatedApiKey.Key"/>.
/// </summary>
public sealed class KeysClient
{
    private readonly AirlockTransport _http;

    internal KeysClient(AirlockTransport http) => _http = http;

    /// <summary>Creates a key with a <paramref name="role"/> of viewer, operator or admin.</summary>
    public Task<CreatedApiKey> CreateAsync(string? tenant, string name, string role, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Path(tenant), AirlockTransport.Json(new CreateKeyBody(name, role), AirlockJson.Default.CreateKeyBody), AirlockJson.Default.CreatedApiKey, ct);

    public Task<List<ApiKey>> ListAsync(string? tenant, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Path(tenant), null, AirlockJson.Default.ListApiKey, ct);

    /// <summary>Revokes a key: it is refused from then on.</summary>
    public Task RevokeAsync(string? tenant, string keyId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Path(tenant) + "/" + AirlockTransport.Segment(keyId), null, ct);

    private static string Path(string? tenant) => tenant is null ? "v1/system/keys" : $"v1/tenants/{AirlockTransport.Segment(tenant)}/keys";
}
