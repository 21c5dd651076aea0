using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Images;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Tenants;

/// <summary>/v1/tenants: the system admin creates, lists, re-quotas, sets the isolation levels and egress ceiling of and deletes tenants; a tenant's keys see only their own.</summary>
public static class TenantEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/tenants").WithTags("tenants");
        group.MapPost("", CreateAsync).WithName("CreateTenant").Accepts<CreateTenantRequest>("application/json", "*/*").Produces<TenantView>(201).WithSummary("Create a tenant (system admin)");
        group.MapGet("", ListAsync).WithName("ListTenants").Produces<IReadOnlyList<TenantView>>().WithSummary("List tenants (a tenant key sees its own)");
        group.MapGet("/{tenant}", GetAsync).WithName("GetTenant").Produces<TenantView>().WithSummary("Get a tenant with its quota and usage");
        group.MapDelete("/{tenant}", DeleteAsync).WithName("DeleteTenant").Produces(204).WithSummary("Delete a tenant without sandboxes (system admin)");
        group.MapGet("/{tenant}/quota", GetAsync).WithName("GetTenantQuota").Produces<TenantView>().WithSummary("Quota and usage of a tenant");
        group.MapPut("/{tenant}/quota", SetQuotaAsync).WithName("SetTenantQuota").Accepts<QuotaRequest>("application/json", "*/*").Produces<TenantView>().WithSummary("Change a tenant's quota or tier (system admin)");
        group.MapGet("/{tenant}/isolation", GetAsync).WithName("GetTenantIsolation").Produces<TenantView>().WithSummary("The isolation levels a tenant may use and its default");
        group.MapPut("/{tenant}/isolation", SetIsolationAsync).WithName("SetTenantIsolation").Accepts<IsolationRequest>("application/json", "*/*").Produces<TenantView>()
            .WithSummary("Change the isolation levels a tenant may use and its default, e.g. force it onto gvisor (system admin)");
        group.MapGet("/{tenant}/egress", GetEgressAsync).WithName("GetTenantEgress").Produces<EgressCeilingView>().WithSummary("The most network the tenant's sandboxes may have: open or not, and what an allowlist may name");
        group.MapPut("/{tenant}/egress", SetEgressAsync).WithName("SetTenantEgress").Accepts<EgressCeilingRequest>("application/json", "*/*").Produces<EgressCeilingView>()
            .WithSummary("Change the tenant's egress ceiling (system admin); sandboxes that exist keep their network");
        group.MapGet("/{tenant}/images", GetImagesAsync).WithName("GetTenantImages").Produces<TenantImagesView>().WithSummary("The images the tenant may name in a create: the server's allowlist and its own");
        group.MapPut("/{tenant}/images", SetImagesAsync).WithName("SetTenantImages").Accepts<TenantImagesRequest>("application/json", "*/*").Produces<TenantImagesView>()
            .WithSummary("Replace the images the tenant may use besides the server's allowlist (system admin)");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, TenantStore tenants, ServerOptions options)
    {
        context.Caller().RequireSystemAdmin();
        var request = await JsonBody.ReadAsync<CreateTenantRequest>(context.Request);
        var errors = new ValidationErrors();
        if (request.Id is null || !Names.IsValid(request.Id))
        {
            errors.Add("tenant.id", request.Id is null ? "is missing" : $"'{Names.Shorten(request.Id)}' is not a valid id: {Names.Rule}");
        }

        if (request.DisplayName is { } display && (display.Length > 200 || display.Any(char.IsControl)))
        {
            errors.Add("tenant.displayName", "must be at most 200 printable characters");
        }

        var quota = CheckQuota(request.Quota, options.DefaultQuota, errors, "tenant.quota");
        var tier = request.Tier ?? request.Quota?.Tier ?? options.DefaultTier;
        CheckTier(tier, options, errors, "tenant.tier");
        var images = CheckImages(request.Images ?? [], errors, "tenant.images");
        var isolation = CheckIsolation(request.Isolation, TenantIsolation.Open, errors, "tenant.isolation");
        var egress = CheckEgress(request.Egress, TenantEgress.Default, errors, "tenant.egress");
        errors.ThrowIfAny("tenant");
        var created = await tenants.CreateAsync(request.Id!, request.DisplayName ?? request.Id!, tier, quota, images, isolation, egress, context.RequestAborted)
            ?? throw ApiException.Conflict($"tenant '{request.Id}' already exists");
        return TypedResults.Created($"/v1/tenants/{created.Id}", TenantView.From(created));
    }

    private static async Task<IResult> ListAsync(HttpContext context, TenantStore tenants)
    {
        var caller = context.Caller();
        if (caller.IsSystemAdmin)
        {
            return TypedResults.Ok((await tenants.ListAsync(context.RequestAborted)).Select(TenantView.From).ToList());
        }

        var own = caller.RequireTenant(Role.Viewer);
        var tenant = await tenants.GetAsync(own, context.RequestAborted);
        return TypedResults.Ok(tenant is null ? [] : new List<TenantView> { TenantView.From(tenant) });
    }

    private static async Task<IResult> GetAsync(HttpContext context, TenantStore tenants, string tenant)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Viewer);
        var found = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        return TypedResults.Ok(TenantView.From(found));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, TenantStore tenants, ApiKeyCache keyCache, string tenant)
    {
        context.Caller().RequireSystemAdmin();
        return await tenants.DeleteAsync(tenant, context.RequestAborted) switch
        {
            // Its keys went with it: no cached copy may outlive them.
            TenantDeleteOutcome.Deleted => Invalidated(keyCache, tenant, TypedResults.NoContent()),
            TenantDeleteOutcome.HasSandboxes => throw ApiException.Conflict($"tenant '{tenant}' still has sandboxes; delete them first"),
            TenantDeleteOutcome.HasSnapshots => throw ApiException.Conflict($"tenant '{tenant}' still has snapshots; delete them first (DELETE /v1/snapshots/{{id}} with one of its keys)"),
            _ => throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist"),
        };
    }

    private static IResult Invalidated(ApiKeyCache keyCache, string tenant, IResult result)
    {
        keyCache.InvalidateTenant(tenant);
        return result;
    }

    private static async Task<IResult> SetQuotaAsync(HttpContext context, TenantStore tenants, ServerOptions options, ApiKeyCache keyCache, string tenant)
    {
        context.Caller().RequireSystemAdmin();
        var request = await JsonBody.ReadAsync<QuotaRequest>(context.Request);
        var current = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        var errors = new ValidationErrors();
        var quota = CheckQuota(request, current.Quota, errors, "quota");
        if (request.Tier is { } tier)
        {
            CheckTier(tier, options, errors, "quota.tier");
        }

        errors.ThrowIfAny("quota");
        var updated = await tenants.SetQuotaAsync(tenant, quota, request.Tier, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{tenant}' does not exist");

        // The tier is cached with the tenant's keys (it sizes their rate limits).
        keyCache.InvalidateTenant(tenant);
        return TypedResults.Ok(TenantView.From(updated));
    }

    private static async Task<IResult> SetIsolationAsync(HttpContext context, TenantStore tenants, string tenant)
    {
        context.Caller().RequireSystemAdmin();
        var request = await JsonBody.ReadAsync<IsolationRequest>(context.Request);
        var current = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        var errors = new ValidationErrors();
        var isolation = CheckIsolation(request, current.Isolation, errors, "isolation");
        errors.ThrowIfAny("isolation");
        var updated = await tenants.SetIsolationAsync(tenant, isolation, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{tenant}' does not exist");
        return TypedResults.Ok(TenantView.From(updated));
    }

    /// <summary>
    /// The policy <paramref name="request"/> asks for on top of <paramref name="current"/>: known level names, at least one
    /// allowed, the default among them (left out: the current default if still allowed, else the strongest allowed).
    /// </summary>
    private static TenantIsolation CheckIsolation(IsolationRequest? request, TenantIsolation current, ValidationErrors errors, string path)
    {
        var allowed = current.Allowed;
        if (request?.Allowed is { } names)
        {
            var parsed = new List<IsolationLevel>();
            foreach (var name in names)
            {
                if (IsolationLevels.TryParse(name) is { } level)
                {
                    parsed.Add(level);
                }
                else
                {
                    errors.Add($"{path}.allowed", IsolationLevels.ErrorFor(Names.Shorten(name ?? "")));
                }
            }

            if (names.Count == 0)
            {
                errors.Add($"{path}.allowed", $"is empty; allow at least one level ({IsolationLevels.Names}), e.g. [\"{IsolationLevels.GvisorName}\"] to force the tenant onto gVisor");
            }

            allowed = [.. parsed.Distinct().Order()];
        }

        var chosen = allowed.Contains(current.Default) ? current.Default : allowed.LastOrDefault();
        if (request?.Default is { } text)
        {
            if (IsolationLevels.TryParse(text) is not { } level)
            {
                errors.Add($"{path}.default", IsolationLevels.ErrorFor(Names.Shorten(text)));
            }
            else if (!allowed.Contains(level))
            {
                errors.Add($"{path}.default", $"'{IsolationLevels.Name(level)}' is not among the allowed levels ({string.Join(", ", allowed.Select(IsolationLevels.Name))})");
            }
            else
            {
                chosen = level;
            }
        }

        return allowed.Count == 0 ? current : new TenantIsolation(allowed, chosen);
    }

    private static async Task<IResult> GetEgressAsync(HttpContext context, TenantStore tenants, string tenant)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Viewer);
        var found = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        return TypedResults.Ok(EgressCeilingView.From(found.Egress));
    }

    private static async Task<IResult> SetEgressAsync(HttpContext context, TenantStore tenants, string tenant)
    {
        context.Caller().RequireSystemAdmin();
        var request = await JsonBody.ReadAsync<EgressCeilingRequest>(context.Request);
        var current = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        var errors = new ValidationErrors();
        var egress = CheckEgress(request, current.Egress, errors, "egress");
        errors.ThrowIfAny("egress");
        var updated = await tenants.SetEgressAsync(tenant, egress, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{tenant}' does not exist");
        return TypedResults.Ok(EgressCeilingView.From(updated.Egress));
    }

    /// <summary>The ceiling <paramref name="request"/> asks for on top of <paramref name="current"/>: each rule checked like a sandbox's, at most <see cref="ServerLimits.MaxEgressRules"/>.</summary>
    private static TenantEgress CheckEgress(EgressCeilingRequest? request, TenantEgress current, ValidationErrors errors, string path)
    {
        var allow = current.Allow;
        if (request?.Allow is { } texts)
        {
            if (texts.Count > ServerLimits.MaxEgressRules)
            {
                errors.Add($"{path}.allow", $"has {texts.Count} destinations; at most {ServerLimits.MaxEgressRules} (allow a suffix such as *.example.com, or a range)");
            }
            else
            {
                allow = EgressPolicyParser.Parse(SandboxNetworkRequest.Allowlist, texts, errors, path).Allow;
            }
        }

        return new TenantEgress(request?.Open ?? current.Open, allow);
    }

    private static async Task<IResult> GetImagesAsync(HttpContext context, TenantStore tenants, ImagePolicy images, string tenant)
    {
        context.Caller().RequireTenantAccess(tenant, Role.Viewer);
        _ = await tenants.GetAsync(tenant, context.RequestAborted) ?? throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        return TypedResults.Ok(new TenantImagesView(images.ServerList.Entries, (await images.TenantListAsync(tenant, context.RequestAborted)).Entries));
    }

    private static async Task<IResult> SetImagesAsync(HttpContext context, TenantStore tenants, ImagePolicy images, string tenant)
    {
        context.Caller().RequireSystemAdmin();
        var request = await JsonBody.ReadAsync<TenantImagesRequest>(context.Request);
        var errors = new ValidationErrors();
        if (request.Images is null)
        {
            errors.Add("images", "is missing; give the tenant's list, e.g. {\"images\": [\"docker.io/library/python\"]} ([] for none)");
        }

        var list = CheckImages(request.Images ?? [], errors, "images");
        errors.ThrowIfAny("the image list");
        if (!await tenants.SetImagesAsync(tenant, list, context.RequestAborted))
        {
            throw ApiException.NotFound($"tenant '{Names.Shorten(tenant)}' does not exist");
        }

        return TypedResults.Ok(new TenantImagesView(images.ServerList.Entries, (await images.TenantListAsync(tenant, context.RequestAborted)).Entries));
    }

    /// <summary>A tenant's image list as it will be stored: each entry in full, checked like --allow-image, at most <see cref="ServerLimits.MaxTenantImages"/>.</summary>
    private static IReadOnlyList<string> CheckImages(IReadOnlyList<string> requested, ValidationErrors errors, string path)
    {
        if (requested.Count > ServerLimits.MaxTenantImages)
        {
            errors.Add(path, $"has {requested.Count} images; at most {ServerLimits.MaxTenantImages} (allow a repository to allow all its tags)");
            return [];
        }

        return ImageAllowList.Parse(requested, path, errors).Entries;
    }

    private static TenantQuota CheckQuota(QuotaRequest? request, TenantQuota fallback, ValidationErrors errors, string path)
    {
        var sandboxes = request?.MaxSandboxes ?? fallback.MaxSandboxes;
        var cpuMillis = request?.MaxCpus is { } cpus ? (long)Math.Round(cpus * 1000) : fallback.MaxCpuMillis;
        var memory = request?.MaxMemoryBytes ?? fallback.MaxMemoryBytes;
        if (sandboxes is < 0 or > 100_000)
        {
            errors.Add($"{path}.maxSandboxes", $"{sandboxes} is not between 0 and 100000");
        }

        if (cpuMillis is < 0 or > 100_000_000 || request?.MaxCpus is double.NaN)
        {
            errors.Add($"{path}.maxCpus", $"{request?.MaxCpus} is not between 0 and 100000");
        }

        if (memory < 0)
        {
            errors.Add($"{path}.maxMemoryBytes", $"{memory} is negative");
        }

        return new TenantQuota(sandboxes, cpuMillis, memory);
    }

    private static void CheckTier(string tier, ServerOptions options, ValidationErrors errors, string path)
    {
        if (!options.Tiers.ContainsKey(tier))
        {
            errors.Add(path, $"'{Names.Shorten(tier)}' is not a tier; one of {string.Join(", ", options.Tiers.Keys.Order(StringComparer.Ordinal))}");
        }
    }
}
