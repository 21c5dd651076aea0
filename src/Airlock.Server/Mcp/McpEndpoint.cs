using Airlock.Sandboxes.Mcp;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace Airlock.Server.Mcp;

/// <summary>
/// <c>/mcp</c>: the MCP sandbox tools (<see cref="SandboxToolset"/>, the same as <c>airlock mcp</c>'s) over streamable
/// HTTP, stateless: every POST is authenticated, rate-limited and bound to its key's tenant and role on its own, so any
/// server of a database can answer any request and no session lives in one server's memory (docs/design/mcp.md).
/// Not a REST route: it is left out of the OpenAPI document.
/// </summary>
public static class McpEndpoint
{
    public const string Path = "/mcp";

    /// <summary>
    /// The largest JSON-RPC request: a write_file of <see cref="SandboxToolLimits.MaxWriteBytes"/> as base64 (a third
    /// larger), with room for the envelope. Text content that JSON escaping makes larger than that is refused with 413.
    /// </summary>
    public const long MaxRequestBytes = SandboxToolLimits.MaxWriteBytes / 3 * 4 + (1 << 20);

    /// <summary>What create_sandbox makes on the server: a sandbox of the tenant's, from a template or an allowed image.</summary>
    public static SandboxToolFace Face { get; } = new(
        "Create and start an isolated sandbox (a hardened container) in your Airlock tenant and return its id, which every other tool takes as " +
        "sandbox. It is made from a template (namespace names one: base, default, cli-agents, or one of the server's) or an image the tenant " +
        "may use, with the tenant's default limits, within its quota and isolation policy, and waits for commands. It stays up between calls " +
        "until delete_sandbox (or its lifetime ends); it is not tied to this connection. There is no project mounted: move files in and out " +
        "with write_file and read_file.",
        $"A template name (e.g. base) or an image reference (one containing '/' or ':', e.g. localhost/airlock-base:bookworm) that the tenant may use. Default: the {ServerSandboxTools.DefaultTemplate} template.",
        "Tools to work inside isolated Airlock sandboxes (containers) of your tenant on an airlock server: create_sandbox first, then " +
        "run_command, read_file, write_file and list_files with the sandbox id it returned, and delete_sandbox when done. Sandboxes " +
        "outlive the connection and count against the tenant's quota until deleted; list_sandboxes shows all of the tenant's.");

    /// <summary>The audit log's action for a tool call: <c>MCP run_command</c>.</summary>
    public static string AuditAction(string tool) => "MCP " + tool;

    public static void AddServices(IServiceCollection services) =>
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "airlock-serve", Title = "Airlock sandboxes", Version = typeof(McpEndpoint).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" };
                options.ServerInstructions = Face.Instructions;
            })
            .WithHttpTransport(http =>
            {
                http.SessionMode = HttpServerSessionMode.Stateless;
                // Once per request (stateless): the tools are bound to the key that sent it, and to nothing else.
                http.ConfigureSessionOptions = (context, options, _) =>
                {
                    var tools = ActivatorUtilities.CreateInstance<ServerSandboxTools>(context.RequestServices, context.Caller());
                    options.ToolCollection = [.. SandboxToolset.For(tools, Face)];
                    return Task.CompletedTask;
                };
            });

    public static void Map(WebApplication app)
    {
        app.MapMcp(Path)
            .RequireAuthorization()
            .WithMetadata(new McpBodyLimit(MaxRequestBytes))
            .ExcludeFromDescription();

        // Stateless: no stream the server could send on unasked, and no session to end. The transport says 405 for
        // both, and a client then carries on with POSTs alone.
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Delete], (HttpContext context) =>
        {
            context.Response.Headers.Allow = HttpMethods.Post;
            return ProblemWriter.WriteAsync(context, new ApiException(
                405, "method not allowed", $"{Path} is stateless: send each JSON-RPC message with POST; there is no stream to GET and no session to DELETE"));
        }).RequireAuthorization().ExcludeFromDescription();
    }
}
