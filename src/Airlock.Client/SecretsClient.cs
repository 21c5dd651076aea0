namespace Airlock.Client;

/// <summary>
/// A tenant's secrets: <c>/v1/tenants/{tenant}/secrets</c>. Values go in and never come back out; a sandbox that names
/// a secret sees only a placeholder, which its egress proxy replaces on the way to the secret's hosts.
/// </summary>
public sealed class SecretsClient
{
    private readonly AirlockTransport _http;

    internal SecretsClient(AirlockTransport http) => _http = http;

    /// <summary>Creates or replaces a secret.</summary>
    public Task<SecretInfo> SetAsync(string tenant, SetSecretBody secret, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Path(tenant), AirlockTransport.Json(secret, AirlockJson.Default.SetSecretBody), AirlockJson.Default.SecretInfo, ct);

    public Task<List<SecretInfo>> ListAsync(string tenant, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Path(tenant), null, AirlockJson.Default.ListSecretInfo, ct);

    public Task<SecretInfo> GetAsync(string tenant, string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Path(tenant) + "/" + AirlockTransport.Segment(name), null, AirlockJson.Default.SecretInfo, ct);

    public Task DeleteAsync(string tenant, string name, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Path(tenant) + "/" + AirlockTransport.Segment(name), null, ct);

    private static string Path(string tenant) => $"v1/tenants/{AirlockTransport.Segment(tenant)}/secrets";
}
