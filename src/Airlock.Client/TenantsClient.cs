namespace Airlock.Client;

/// <summary>Tenants, their quotas and policies: <c>/v1/tenants</c> (most of it for system admin keys).</summary>
public sealed class TenantsClient
{
    private readonly AirlockTransport _http;

    internal TenantsClient(AirlockTransport http) => _http = http;

    public Task<Tenant> CreateAsync(CreateTenantBody body, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, "v1/tenants", AirlockTransport.Json(body, AirlockJson.Default.CreateTenantBody), AirlockJson.Default.Tenant, ct);

    /// <summary>Every tenant (a tenant's own key sees its own).</summary>
    public Task<List<Tenant>> ListAsync(CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, "v1/tenants", null, AirlockJson.Default.ListTenant, ct);

    public Task<Tenant> GetAsync(string tenant, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Path(tenant), null, AirlockJson.Default.Tenant, ct);

    /// <summary>Deletes a tenant that has no sandboxes left.</summary>
    public Task DeleteAsync(string tenant, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, Path(tenant), null, ct);

    public Task<Tenant> SetQuotaAsync(string tenant, QuotaBody quota, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Put, Path(tenant) + "/quota", AirlockTransport.Json(quota, AirlockJson.Default.QuotaBody), AirlockJson.Default.Tenant, ct);

    public Task<Tenant> SetIsolationAsync(string tenant, IsolationBody isolation, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Put, Path(tenant) + "/isolation", AirlockTransport.Json(isolation, AirlockJson.Default.IsolationBody), AirlockJson.Default.Tenant, ct);

    /// <summary>The most network the tenant's sandboxes may have.</summary>
    public Task<EgressCeilingBody> GetEgressAsync(string tenant, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, Path(tenant) + "/egress", null, AirlockJson.Default.EgressCeilingBody, ct);

    public Task<EgressCeilingBody> SetEgressAsync(string tenant, EgressCeilingBody ceiling, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Put, Path(tenant) + "/egress", AirlockTransport.Json(ceiling, AirlockJson.Default.EgressCeilingBody), AirlockJson.Default.EgressCeilingBody, ct);

    private static string Path(string tenant) => $"v1/tenants/{AirlockTransport.Segment(tenant)}";
}
