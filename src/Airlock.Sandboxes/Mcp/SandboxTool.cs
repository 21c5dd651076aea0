using System.Text.Json;
using Airlock.Engine.Errors;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// One MCP tool, written out by hand: its protocol description (name, description, JSON Schema) and a handler that reads
/// the arguments itself. No reflection over methods or parameter types, so the tool works the same compiled Native AOT.
/// The answer is one text block holding the result as JSON, with no structuredContent beside it: that would repeat the
/// payload (a file's content, a command's output) in the same message, doubling what the agent's context and the
/// client's message limit take. A problem the agent can fix comes back as the tool's error result (isError) with the
/// message, as MCP asks, so the agent sees it and can try again; the MCP connection itself never fails for it.
/// </summary>
public sealed class SandboxTool(Tool tool, IReadOnlyCollection<string> arguments, Func<ToolArguments, CancellationToken, Task<string>> handler) : McpServerTool
{
    public override Tool ProtocolTool => tool;

    public override IReadOnlyList<object> Metadata => [];

    /// <summary>Runs the tool on raw arguments: what the MCP server calls, and what tests call without a transport.</summary>
    public async Task<CallToolResult> CallAsync(IReadOnlyDictionary<string, JsonElement>? raw, CancellationToken ct)
    {
        try
        {
            var json = await handler(new ToolArguments(tool.Name, raw, arguments), ct);
            return new CallToolResult { Content = [new TextContentBlock { Text = json }] };
        }
        catch (SandboxToolException ex)
        {
            return Error(ex.Message);
        }
        catch (EngineUnreachableException ex)
        {
            return Error($"the container engine cannot be reached: {ex.Message} ({ex.HowToFix})");
        }
        catch (EngineException ex)
        {
            return Error($"the container engine refused: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not the agent's to fix, but it is the one told: the SDK's own answer would name only the tool.
            return Error($"{tool.Name} failed inside airlock ({ex.GetType().Name}: {ex.Message}); if it happens again, report it with the server's stderr");
        }
    }

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) =>
        await CallAsync(request.Params?.Arguments is { } raw ? new Dictionary<string, JsonElement>(raw, StringComparer.Ordinal) : null, cancellationToken);

    private CallToolResult Error(string message) => new() { IsError = true, Content = [new TextContentBlock { Text = message }] };
}
