using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Sandboxes.Mcp;

/// <summary>The tools' results, serialised without reflection (the CLI may be compiled Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(McpSandbox))]
[JsonSerializable(typeof(SandboxList))]
[JsonSerializable(typeof(CommandOutcome))]
[JsonSerializable(typeof(SandboxFileListing))]
[JsonSerializable(typeof(FileRead))]
[JsonSerializable(typeof(FileWritten))]
[JsonSerializable(typeof(SandboxDeleted))]
internal sealed partial class SandboxToolJson : JsonSerializerContext
{
    /// <summary>
    /// What the tools answer with: an agent reads the text as it is, so file contents and command output keep their
    /// non-ASCII characters, quotes and angle brackets instead of \u escapes (the text is JSON, never HTML).
    /// </summary>
    public static SandboxToolJson Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
