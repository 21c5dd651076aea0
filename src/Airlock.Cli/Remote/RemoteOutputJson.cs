using System.Text.Json;
using System.Text.Json.Serialization;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary>What <c>--json</c> prints: indented, so people can read it too.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Sandbox))]
[JsonSerializable(typeof(List<Sandbox>))]
[JsonSerializable(typeof(List<SandboxEgressRecord>))]
[JsonSerializable(typeof(EgressCeilingBody))]
[JsonSerializable(typeof(ExecResult))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(List<Snapshot>))]
[JsonSerializable(typeof(Tenant))]
[JsonSerializable(typeof(List<Tenant>))]
[JsonSerializable(typeof(ApiKey))]
[JsonSerializable(typeof(List<ApiKey>))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(SecretInfo))]
[JsonSerializable(typeof(List<SecretInfo>))]
internal sealed partial class RemoteOutputJson : JsonSerializerContext;
