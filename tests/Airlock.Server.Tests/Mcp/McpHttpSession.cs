using System.Text.Json.Nodes;

namespace Airlock.Server.Tests.Mcp;

/// <summary>What the MCP client saw: the server, its tools, and each call's result in order (or why it could not connect).</summary>
internal sealed record McpHttpSession(JsonObject Output)
{
    public string? ConnectError => (string?)Output["connectError"];

    public IReadOnlyList<string> ToolNames
    {
        get
        {
            ConnectError.ShouldBeNull();
            return Output["tools"]!.AsArray().Select(t => (string)t!["name"]!).ToList();
        }
    }

    public JsonObject Tool(string name) => Output["tools"]!.AsArray().Single(t => (string)t!["name"]! == name)!.AsObject();

    public JsonObject Result(int index)
    {
        ConnectError.ShouldBeNull();
        return Output["results"]!.AsArray()[index]!.AsObject();
    }

    /// <summary>The result (the JSON in its text) of a call that must have succeeded.</summary>
    public JsonObject Ok(int index)
    {
        var result = Result(index);
        ((bool)result["isError"]!).ShouldBeFalse($"call {index} ({result["tool"]}) failed: {result.ToJsonString()}");
        return result["result"]!.AsObject();
    }

    /// <summary>The error text of a call the tool refused (an error result, not a broken protocol exchange).</summary>
    public string Refused(int index)
    {
        var result = Result(index);
        ((bool)result["isError"]!).ShouldBeTrue($"call {index} ({result["tool"]}) should have been refused: {result.ToJsonString()}");
        result["protocolError"].ShouldBeNull($"call {index} ({result["tool"]}) should be refused by the tool, not fail the exchange");
        return (string)result["text"]!;
    }
}
