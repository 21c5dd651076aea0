using System.Text.Json;
using System.Text.Json.Nodes;

namespace Airlock.Server.Tests.Mcp;

/// <summary>
/// The official MCP TypeScript SDK's client (its StreamableHTTPClientTransport, driven by Mcp/http-session.mjs) talking
/// to a real server's <c>/mcp</c> with a key: it lists the tools, makes the calls in order and disconnects. The SDK is
/// the install the <c>airlock mcp</c> tests use (scripts/setup-mcp-client.sh).
/// </summary>
internal static class McpHttpClient
{
    private static string Script { get; } = Path.Combine(RepositoryRoot.Path, "tests", "Airlock.Server.Tests", "Mcp", "http-session.mjs");

    private static string Sdk { get; } = Path.Combine(
        RepositoryRoot.Path, "tests", "Airlock.Launcher.IntegrationTests", "Mcp", "client", "node_modules", "@modelcontextprotocol", "sdk");

    /// <summary>A session with <paramref name="key"/> (none: no Authorization header) making <paramref name="calls"/>.</summary>
    public static async Task<McpHttpSession> RunAsync(Uri server, string? key, params JsonObject[] calls)
    {
        // Never a skip: CI installs the client (scripts/test.sh runs the set-up), so a missing one is a broken set-up.
        File.Exists(Path.Combine(Sdk, "package.json")).ShouldBeTrue($"the MCP test client is not installed in {Sdk}: run `bash scripts/setup-mcp-client.sh`");
        var result = await ProcessRunner.RunAsync(
            "node", [Script, new Uri(server, "/mcp").ToString(), Sdk], new Dictionary<string, string?> { ["AIRLOCK_MCP_KEY"] = key },
            stdin: new JsonArray([.. calls]).ToJsonString(), timeout: TimeSpan.FromMinutes(5));
        result.ExitCode.ShouldBe(0, result.ToString());
        return new McpHttpSession(JsonNode.Parse(result.Stdout)!.AsObject());
    }

    public static JsonObject Call(string tool, object? arguments = null) => new()
    {
        ["tool"] = tool,
        ["arguments"] = arguments is null ? new JsonObject() : JsonSerializer.SerializeToNode(arguments),
    };
}
