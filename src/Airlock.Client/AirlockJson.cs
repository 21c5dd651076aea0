using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Client;

/// <summary>
/// Source-generated JSON for the API's types (no reflection, so the client works trimmed and Native AOT): camelCase,
/// nulls left out of requests, fields the client does not know yet ignored in answers.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateSandboxBody))]
[JsonSerializable(typeof(Sandbox))]
[JsonSerializable(typeof(SandboxPage))]
[JsonSerializable(typeof(List<Sandbox>))]
[JsonSerializable(typeof(SandboxNetwork))]
[JsonSerializable(typeof(EgressRecordPage))]
[JsonSerializable(typeof(List<SandboxEgressRecord>))]
[JsonSerializable(typeof(EgressCeilingBody))]
[JsonSerializable(typeof(ExecBody))]
[JsonSerializable(typeof(ExecResult))]
[JsonSerializable(typeof(ExecEvent))]
[JsonSerializable(typeof(TerminalStart))]
[JsonSerializable(typeof(TerminalControl))]
[JsonSerializable(typeof(TimeoutBody))]
[JsonSerializable(typeof(SnapshotBody))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(SnapshotPage))]
[JsonSerializable(typeof(List<Snapshot>))]
[JsonSerializable(typeof(RestoreBody))]
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
[JsonSerializable(typeof(SandboxFileList))]
[JsonSerializable(typeof(MkdirBody))]
[JsonSerializable(typeof(MoveBody))]
[JsonSerializable(typeof(Problem))]
public sealed partial class AirlockJson : JsonSerializerContext;
