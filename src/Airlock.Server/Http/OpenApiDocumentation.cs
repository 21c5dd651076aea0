using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Airlock.Server.Http;

/// <summary>
/// What the generated OpenAPI document says once for every route: the API's description, the bearer scheme (an API key
/// or a token), and the problem answers every route can give (RFC 7807 <c>application/problem+json</c>, with
/// <c>errors</c> naming each bad field): 401, 403, 429 and 503 everywhere a key is needed, 404 where the path names
/// something, 400 and 413 where a body or query is read, 500 everywhere.
/// </summary>
public static class OpenApiDocumentation
{
    private const string Bearer = "bearer";
    private const string ProblemSchema = "Problem";

    public static void Configure(OpenApiOptions options)
    {
        // The server leaves null fields out of what it writes (ServerJson): a field that can be null can be absent, so
        // it is not "required", whatever the record's constructor says.
        options.AddSchemaTransformer((schema, _, _) =>
        {
            if (schema is { Properties: { } properties, Required: { Count: > 0 } required })
            {
                foreach (var (name, property) in properties)
                {
                    if (CanBeNull(property))
                    {
                        required.Remove(name);
                    }
                }
            }

            return Task.CompletedTask;
        });
        options.AddDocumentTransformer(DescribeAsync);
    }

    private static bool CanBeNull(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null)) || (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Any(CanBeNull);

    private static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Airlock API";
        document.Info.Description =
            "Sandboxes for AI coding agents and their tools, per tenant: create, run, stream, observe, snapshot and delete. "
            + "Every error is application/problem+json; a 400 lists each bad field with its path. See docs/serve.md and docs/api.md.";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = Bearer,
            Description = "An API key (alk_...) from POST /v1/tenants/{tenant}/keys, or a token from POST /v1/tokens.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];

        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                AddProblems(document, path, method, operation);
            }
        }

        return Task.CompletedTask;
    }

    private static readonly (string Name, string Description)[] Tags =
    [
        ("sandboxes", "A tenant's sandboxes: create, list, observe, run commands in (buffered, streamed, a terminal), pause, time out, delete; egress records and network."),
        ("files", "Files inside a running sandbox: bytes and tars both ways, list, stat, mkdir, move, delete; never the host's."),
        ("snapshots", "Images of a sandbox's filesystem, and sandboxes restored or created from them."),
        ("secrets", "Tenant secrets: write-only values the egress proxy of an allowlist sandbox puts into requests to their hosts."),
        ("tenants", "Tenants, their quotas, isolation levels, egress ceilings and image allowlists (system admin)."),
        ("keys", "API keys per tenant and for the system, and short-lived tokens."),
        ("audit", "The hash-chained audit log."),
        ("system", "Server operations: an on-demand reconciler pass."),
        ("health", "Liveness, readiness and Prometheus metrics."),
    ];

    private static void AddProblems(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        var anonymous = path is "/healthz" or "/readyz" or "/openapi/v1.json";
        var statuses = new List<(string Status, string Description)> { ("500", "A bug in the server; its log has the details.") };
        if (!anonymous)
        {
            statuses.Add(("401", "No key or token, or one that is revoked or expired."));
            statuses.Add(("403", "The key's role (viewer < operator < admin) or tenant does not allow this."));
            statuses.Add(("429", "Over the key's or tenant's rate limit, or too many of this at once; Retry-After says when to try again."));
            statuses.Add(("503", "The database or the engine does not answer."));
        }

        if (path.Contains('{', StringComparison.Ordinal))
        {
            statuses.Add(("404", "What the path names does not exist (in the caller's tenant)."));
        }

        if (operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true)
        {
            statuses.Add(("400", "A field or query is not valid; errors lists each with its path and what to fix."));
        }

        if (operation.RequestBody is not null)
        {
            statuses.Add(("413", "The body is larger than the server takes."));
        }

        if (method != HttpMethod.Get && !anonymous)
        {
            statuses.Add(("409", "The resource is not in a state that allows this (e.g. the sandbox is not running)."));
        }

        operation.Responses ??= new OpenApiResponses();
        foreach (var (status, response) in operation.Responses.Where(r => r.Key[0] is '4' or '5').ToList())
        {
            statuses.Add((status, response.Description ?? "See the problem's detail."));
        }

        foreach (var (status, description) in statuses)
        {
            if (operation.Responses.TryGetValue(status, out var existing) && existing.Content?.ContainsKey("application/problem+json") == true)
            {
                continue;
            }

            operation.Responses[status] = new OpenApiResponse
            {
                Description = existing?.Description is { Length: > 0 } known && known != "Bad Request" ? known : description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
                },
            };
        }
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 7807 problem details, with the bad fields of a 400.",
        Required = new HashSet<string> { "title", "status", "detail" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "about:blank" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What kind of problem (e.g. invalid request)." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What was wrong and how to fix it." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's path." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Every bad field of a 400, each with its path (e.g. sandbox.limits.cpus).",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["path"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };
}
