using System.Text.Json;

namespace Airlock.Engine.Identity;

internal sealed class VersionResponse
{
    public string Version { get; init; } = "";
    public string ApiVersion { get; init; } = "";
    public string? MinAPIVersion { get; init; }
    public string Os { get; init; } = "";
    public string Arch { get; init; } = "";
    public string? KernelVersion { get; init; }
    public IReadOnlyList<VersionComponent>? Components { get; init; }
}

internal sealed class VersionComponent
{
    public string Name { get; init; } = "";
    public string? Version { get; init; }
}

internal sealed class InfoResponse
{
    public IReadOnlyList<string>? SecurityOptions { get; init; }

    /// <summary>Podman's own addition to the compat /info; podman 4.x does not list <c>name=rootless</c> in SecurityOptions.</summary>
    public bool? Rootless { get; init; }

    public string? OperatingSystem { get; init; }
    public string? CgroupVersion { get; init; }
    public int NCPU { get; init; }
    public long MemTotal { get; init; }

    /// <summary>Runtime name to its details (only <c>path</c> on both engines; Docker adds <c>runtimeArgs</c>).</summary>
    public Dictionary<string, JsonElement>? Runtimes { get; init; }

    public string? DefaultRuntime { get; init; }
}
