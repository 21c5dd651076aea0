using System.Text.Json.Serialization;

namespace Airlock.Cli.Server;

public sealed record MigrationStatus(int Version, int Latest, string Database);

public sealed record AuditVerifyResult(bool Intact, long Checked, long? BrokenSeq, string? Problem);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MigrationStatus))]
[JsonSerializable(typeof(AuditVerifyResult))]
internal sealed partial class CliServerJson : JsonSerializerContext;
