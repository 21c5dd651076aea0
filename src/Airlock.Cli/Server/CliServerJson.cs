using System.Text.Json.Serialization;

namespace Airlock.Cli.Server;

public sealed record MigrationStatus(int Version, int Latest, string Database);

public sealed record AuditVerifyResult(bool Intact, long Checked, long? BrokenSeq, string? Problem);

public sealed record BackupResult(string Source, string Destination, long Bytes, int SchemaVersion, long Tenants, long Sandboxes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MigrationStatus))]
[JsonSerializable(typeof(AuditVerifyResult))]
[JsonSerializable(typeof(BackupResult))]
internal sealed partial class CliServerJson : JsonSerializerContext;
