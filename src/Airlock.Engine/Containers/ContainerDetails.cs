using System.Text.Json.Serialization;

namespace Airlock.Engine.Containers;

/// <summary>The part of GET /containers/{id}/json that Airlock reads.</summary>
public sealed class ContainerDetails
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Image { get; init; }
    public string? Created { get; init; }
    public ContainerStateDetails State { get; init; } = new();
    public ContainerConfigDetails Config { get; init; } = new();
    public ContainerHostConfigDetails HostConfig { get; init; } = new();
    public ContainerNetworkDetails NetworkSettings { get; init; } = new();

    /// <summary>The host port the engine bound for a container port, or null when it is not published.</summary>
    public int? HostPortFor(int containerPort, string protocol = "tcp")
    {
        if (NetworkSettings.Ports is null || !NetworkSettings.Ports.TryGetValue($"{containerPort}/{protocol}", out var bindings) || bindings is null)
        {
            return null;
        }

        foreach (var b in bindings)
        {
            if (int.TryParse(b.HostPort, System.Globalization.CultureInfo.InvariantCulture, out var port) && port > 0)
            {
                return port;
            }
        }

        return null;
    }
}

public sealed class ContainerStateDetails
{
    public string Status { get; init; } = "";
    public bool Running { get; init; }
    public bool Paused { get; init; }
    public bool OOMKilled { get; init; }
    public bool Dead { get; init; }
    public int Pid { get; init; }
    public int ExitCode { get; init; }
    public string? Error { get; init; }
    public string? StartedAt { get; init; }
    public string? FinishedAt { get; init; }
}

public sealed class ContainerConfigDetails
{
    public string? Image { get; init; }
    public string? User { get; init; }
    public string? WorkingDir { get; init; }
    public string? Hostname { get; init; }
    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public Dictionary<string, string>? Labels { get; init; }
}

public sealed class ContainerHostConfigDetails
{
    public IReadOnlyList<string>? Binds { get; init; }
    public string? NetworkMode { get; init; }
    public long Memory { get; init; }
    public long NanoCpus { get; init; }
    public long? PidsLimit { get; init; }
    public IReadOnlyList<string>? CapAdd { get; init; }
    public IReadOnlyList<string>? CapDrop { get; init; }
    public IReadOnlyList<string>? SecurityOpt { get; init; }
    public bool ReadonlyRootfs { get; init; }
    public bool? Init { get; init; }
    public IReadOnlyList<string>? ExtraHosts { get; init; }

    /// <summary>Docker's OCI runtime name; podman's compat inspect says <c>oci</c> (see <see cref="ContainersClient.RuntimeOfAsync"/>).</summary>
    public string? Runtime { get; init; }
}

/// <summary>What Airlock reads of libpod's inspect (GET /libpod/containers/{id}/json).</summary>
internal sealed class LibpodContainerDetails
{
    public string? OCIRuntime { get; init; }
}

public sealed class ContainerNetworkDetails
{
    [JsonPropertyName("Ports")]
    public Dictionary<string, List<PortBindingBody>?>? Ports { get; init; }

    /// <summary>The address on the default bridge (Docker); podman fills <see cref="Networks"/>.</summary>
    public string? IPAddress { get; init; }

    public Dictionary<string, ContainerEndpointDetails>? Networks { get; init; }

    /// <summary>The container's IPv4 address on its network, wherever the engine reports it; null when it has none.</summary>
    public string? PrimaryAddress =>
        IPAddress is { Length: > 0 } top ? top : Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(a => a is { Length: > 0 });
}

public sealed class ContainerEndpointDetails
{
    public string? IPAddress { get; init; }
}
