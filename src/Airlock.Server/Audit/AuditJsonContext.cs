using System.Text.Json.Serialization;

namespace Airlock.Server.Audit;

[JsonSerializable(typeof(string?[]))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
