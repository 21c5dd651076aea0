using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Airlock.Server.Audit;

public static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapGet("/audit", ListAsync).WithName("ListAudit").WithTags("audit").Produces<AuditPage>()
            .WithSummary("Audit entries oldest first (system admin: all, or ?tenant=; a tenant admin: its own tenant's)");
    }

    private static async Task<IResult> ListAsync(HttpContext context, AuditStore audit, string? tenant, long? after, int? limit)
    {
        var caller = context.Caller();
        string? scope;
        if (caller.IsSystemAdmin)
        {
            scope = tenant;
        }
        else
        {
            scope = caller.RequireTenant(Role.Admin);
            if (tenant is not null && tenant != scope)
            {
                throw ApiException.NotFound($"tenant '{Sandboxes.Names.Shorten(tenant)}' does not exist");
            }
        }

        if (limit is < 1 or > 1000 || after is < 0)
        {
            throw ApiException.BadRequest("query: limit must be 1 to 1000 and after a sequence number (0 or more)");
        }

        var take = limit ?? 100;
        var entries = await audit.ListAsync(scope, after ?? 0, take, context.RequestAborted);
        return TypedResults.Ok(new AuditPage(entries, entries.Count == take ? entries[^1].Seq : null));
    }
}

/// <summary>Entries, and the sequence number to pass as <c>after</c> for the next page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? NextAfter);
