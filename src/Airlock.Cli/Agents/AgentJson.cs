using System.Text.Json.Serialization;

namespace Airlock.Cli.Agents;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentDryRun))]
[JsonSerializable(typeof(AgentListing))]
internal sealed partial class AgentJson : JsonSerializerContext;
