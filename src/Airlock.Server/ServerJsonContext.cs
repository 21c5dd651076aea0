using System.Text.Json;
using System.Text.Json.Serialization;
using Airlock.Server.Egress;
using Airlock.Server.Keys;
using Airlock.Server.Sandboxes;
using Airlock.Server.Secrets;
using Airlock.Server.Tenants;

namespace Airlock.Server;

/// <summary>
/// Source-generated serializers for the answers the API sends most (a sandbox list is the hot path): no reflection at
/// run time. Same settings as <see cref="ServerJson"/>; types not listed here fall back to the reflection resolver.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    MaxDepth = 32)]
[JsonSerializable(typeof(SandboxList))]
[JsonSerializable(typeof(SandboxView))]
[JsonSerializable(typeof(ExecResponse))]
[JsonSerializable(typeof(ExecRequest))]
[JsonSerializable(typeof(ExecEvent))]
[JsonSerializable(typeof(TerminalRequest))]
[JsonSerializable(typeof(TerminalControl))]
[JsonSerializable(typeof(SandboxTimeoutRequest))]
[JsonSerializable(typeof(Sandboxes.Files.SandboxFileEntry))]
[JsonSerializable(typeof(Sandboxes.Files.SandboxFileList))]
[JsonSerializable(typeof(Sandboxes.Files.MkdirRequest))]
[JsonSerializable(typeof(Sandboxes.Files.MoveRequest))]
[JsonSerializable(typeof(BulkResult))]
[JsonSerializable(typeof(TenantView))]
[JsonSerializable(typeof(List<TenantView>))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(List<KeyView>))]
[JsonSerializable(typeof(CreatedKeyView))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(CreateSandboxRequest))]
[JsonSerializable(typeof(SandboxNetworkRequest))]
[JsonSerializable(typeof(EgressRecordList))]
[JsonSerializable(typeof(EgressCeilingView))]
[JsonSerializable(typeof(SetSecretRequest))]
[JsonSerializable(typeof(SecretView))]
[JsonSerializable(typeof(List<SecretView>))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
