using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Cli.Remote;

/// <summary>Source-generated JSON for the API client: camelCase, nulls left out of requests, unknown answer fields ignored.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateSandboxBody))]
[JsonSerializable(typeof(Sandbox))]
[JsonSerializable(typeof(SandboxPage))]
[JsonSerializable(typeof(List<Sandbox>))]
[JsonSerializable(typeof(SandboxNetwork))]
[JsonSerializable(typeof(EgressRecordPage))]
[JsonSerializable(typeof(EgressCeilingBody))]
[JsonSerializable(typeof(ExecBody))]
[JsonSerializable(typeof(ExecResult))]
[JsonSerializable(typeof(SnapshotBody))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(List<Snapshot>))]
[JsonSerializable(typeof(QuotaBody))]
[JsonSerializable(typeof(CreateTenantBody))]
[JsonSerializable(typeof(IsolationBody))]
[JsonSerializable(typeof(Tenant))]
[JsonSerializable(typeof(List<Tenant>))]
[JsonSerializable(typeof(CreateKeyBody))]
[JsonSerializable(typeof(ApiKey))]
[JsonSerializable(typeof(List<ApiKey>))]
[JsonSerializable(typeof(CreatedApiKey))]
[JsonSerializable(typeof(SetSecretBody))]
[JsonSerializable(typeof(SecretInfo))]
[JsonSerializable(typeof(List<SecretInfo>))]
[JsonSerializable(typeof(SandboxFile))]
[JsonSerializable(typeof(MkdirBody))]
[JsonSerializable(typeof(Problem))]
internal sealed partial class RemoteJson : JsonSerializerContext;

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
