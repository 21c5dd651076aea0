using System.Text.Json.Serialization;
using Airlock.Engine.Containers;
using Airlock.Engine.Events;
using Airlock.Engine.Exec;
using Airlock.Engine.Images;
using Airlock.Engine.Identity;

namespace Airlock.Engine.Json;

/// <summary>Source-generated serialisers: no reflection at run time, which also keeps the CLI's start-up short.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ContainerCreateBody))]
[JsonSerializable(typeof(ContainerDetails))]
[JsonSerializable(typeof(LibpodContainerDetails))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerStats))]
[JsonSerializable(typeof(WaitResponse))]
[JsonSerializable(typeof(ContainerPathStat))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ExecCreateBody))]
[JsonSerializable(typeof(ExecStartBody))]
[JsonSerializable(typeof(ExecDetails))]
[JsonSerializable(typeof(EngineEvent))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageDetails))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(List<ImageDeleteItem>))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(InfoResponse))]
[JsonSerializable(typeof(Networks.NetworkDetails))]
[JsonSerializable(typeof(List<Networks.NetworkDetails>))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
