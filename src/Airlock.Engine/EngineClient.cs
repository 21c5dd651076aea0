using Airlock.Engine.Containers;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Engine.Events;
using Airlock.Engine.Exec;
using Airlock.Engine.Images;
using Airlock.Engine.Json;
using Airlock.Engine.Networks;
using Airlock.Engine.Identity;
using Airlock.Engine.Transport;
using Microsoft.Extensions.Logging;

namespace Airlock.Engine;

/// <summary>
/// A typed client of one engine's Engine API (podman or Docker). Create it with <see cref="ConnectAsync"/>, which checks
/// the engine answers and negotiates the API version, then use <see cref="Containers"/>, <see cref="Images"/>,
/// <see cref="Exec"/> and <see cref="Events"/>.
/// </summary>
public sealed class EngineClient : IDisposable
{
    private readonly EngineHttp _http;

    private EngineClient(EngineHttp http, EngineIdentity identity, TimeProvider time)
    {
        _http = http;
        Identity = identity;
        Containers = new ContainersClient(http, () => Identity.Kind);
        Images = new ImagesClient(http, () => Identity.Kind);
        Exec = new ExecClient(http, time);
        Events = new EventsClient(http, () => Identity.Kind);
        Networks = new NetworksClient(http, () => Identity.Kind);
    }

    public EngineEndpoint Endpoint => _http.Endpoint;

    public EngineIdentity Identity { get; }

    public ContainersClient Containers { get; }

    public ImagesClient Images { get; }

    public ExecClient Exec { get; }

    public EventsClient Events { get; }

    public NetworksClient Networks { get; }

    /// <summary>Connects to an endpoint, reads the engine's identity and settles on an API version both sides speak.</summary>
    public static async Task<EngineClient> ConnectAsync(EngineEndpoint endpoint, ILogger? logger = null, TimeProvider? time = null, CancellationToken ct = default)
    {
        var http = new EngineHttp(endpoint, logger);
        try
        {
            var identity = await ReadIdentityAsync(http, ct);
            http.Version = identity.NegotiatedApiVersion;
            return new EngineClient(http, identity, time ?? TimeProvider.System);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Finds an engine the way <see cref="EngineDiscovery"/> describes and connects to it.</summary>
    public static async Task<EngineClient> DiscoverAsync(EngineDiscovery? discovery = null, CancellationToken ct = default)
    {
        var found = await (discovery ?? new EngineDiscovery()).FindAsync(ct);
        return await ConnectAsync(found.Endpoint, ct: ct);
    }

    private static async Task<EngineIdentity> ReadIdentityAsync(EngineHttp http, CancellationToken ct)
    {
        // /version is served unversioned by both engines, so it works before we know what the server speaks.
        var version = await http.GetJsonAsync("/version", EngineJsonContext.Default.VersionResponse, "read engine version", ct);
        if (!EngineApiVersion.TryParse(version.ApiVersion, out var serverApi))
        {
            throw new EngineException($"the engine at {http.Endpoint} reports API version '{version.ApiVersion}', which Airlock cannot read");
        }

        var negotiated = EngineApiVersion.Negotiate(serverApi);
        http.Version = negotiated;
        var info = await http.GetJsonAsync(http.Path("/info"), EngineJsonContext.Default.InfoResponse, "read engine info", ct);
        var kind = version.Components?.Any(c => c.Name.Contains("Podman", StringComparison.OrdinalIgnoreCase)) == true
            ? EngineKind.Podman
            : EngineKind.Docker;
        // Docker says rootless in SecurityOptions; podman 4.x only in its own Rootless field (its SecurityOptions lack it).
        var rootless = info.Rootless == true || info.SecurityOptions?.Any(o => o.Contains("name=rootless", StringComparison.Ordinal)) == true;
        return new EngineIdentity(kind, version.Version, serverApi, negotiated, rootless, version.Os, version.Arch, version.KernelVersion ?? "");
    }

    public void Dispose() => _http.Dispose();
}
