using System.Text.Json.Nodes;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// The official MCP TypeScript SDK's client (Mcp/client/session.mjs, installed by scripts/setup-mcp-client.sh) driving
/// the real <c>airlock mcp</c> in a workspace: it lists the tools, makes the calls in order and disconnects.
/// </summary>
public static class McpClient
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "tests", "Airlock.Launcher.IntegrationTests", "Mcp", "client");

    /// <summary>
    /// Runs <c>airlock mcp ARGS</c> under the client from the workspace's project with its environment (as the test user
    /// when the workspace runs airlock as that user: the client then is theirs too, as an agent's would be), making
    /// <paramref name="calls"/> (<c>{"tool", "arguments"}</c>; <c>"$sandbox"</c> is the last created sandbox's name).
    /// </summary>
    public static async Task<McpSessionResult> RunAsync(Workspace ws, IEnumerable<string> args, params JsonObject[] calls)
    {
        var sdk = Path.Combine(Directory, "node_modules", "@modelcontextprotocol", "sdk", "package.json");
        // Never a skip: CI installs the client (scripts/test.sh runs the set-up), so a missing one is a broken set-up.
        File.Exists(sdk).ShouldBeTrue($"the MCP test client is not installed in {Directory}: run `bash scripts/setup-mcp-client.sh`");
        List<string> argv = [Path.Combine(Directory, "session.mjs"), AirlockBinary.Path, "mcp", .. args];
        var stdin = new JsonArray([.. calls]).ToJsonString();
        ProcessResult result;
        if (ws.AsTestUser)
        {
            // The wrapper carries the environment itself.
            var (file, wrapped) = TestUser.Wrap("node", argv, ws.Environment());
            result = await ProcessRunner.RunAsync(file, wrapped, null, ws.Project, stdin, TimeSpan.FromMinutes(5));
        }
        else
        {
            result = await ProcessRunner.RunAsync("node", argv, ws.Environment(), ws.Project, stdin, TimeSpan.FromMinutes(5));
        }

        result.ExitCode.ShouldBe(0, result.ToString());
        return new McpSessionResult(JsonNode.Parse(result.Stdout)!.AsObject(), result.Stderr);
    }

    public static JsonObject Call(string tool, object? arguments = null) => new()
    {
        ["tool"] = tool,
        ["arguments"] = arguments is null ? new JsonObject() : System.Text.Json.JsonSerializer.SerializeToNode(arguments),
    };
}

/// <summary>What the client saw: the server, its tools, and each call's result in order.</summary>
public sealed record McpSessionResult(JsonObject Output, string ServerStderr)
{
    public IReadOnlyList<string> ToolNames => Output["tools"]!.AsArray().Select(t => (string)t!["name"]!).ToList();

    public JsonArray Tools => Output["tools"]!.AsArray();

    public JsonObject Result(int index) => Output["results"]!.AsArray()[index]!.AsObject();

    /// <summary>The result (the JSON in its text) of a call that must have succeeded.</summary>
    public JsonObject Ok(int index)
    {
        var result = Result(index);
        ((bool)result["isError"]!).ShouldBeFalse($"call {index} ({result["tool"]}) failed: {result["text"]}\nserver stderr:\n{ServerStderr}");
        return result["result"]!.AsObject();
    }

    /// <summary>The error text of a call that must have failed.</summary>
    public string Error(int index)
    {
        var result = Result(index);
        ((bool)result["isError"]!).ShouldBeTrue($"call {index} ({result["tool"]}) should have failed: {result["text"]}");
        return (string)result["text"]!;
    }
}
