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
        Containers = new ContainersClient(http, () => Identity);
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

    /// <summary>
    /// Connects to an endpoint, reads the engine's identity and settles on an API version both sides speak. On a local
    /// unix socket the identity comes from one <c>/_ping</c> (its headers name the engine and API); podman answers
    /// <c>/version</c> in about a second (it asks conmon and runc for theirs), which every launch would pay.
    /// <paramref name="detailed"/> asks <c>/version</c> and <c>/info</c> anyway, as tcp endpoints always do.
    /// </summary>
    public static async Task<EngineClient> ConnectAsync(
        EngineEndpoint endpoint, ILogger? logger = null, TimeProvider? time = null, CancellationToken ct = default, bool detailed = false)
    {
        var http = new EngineHttp(endpoint, logger);
        try
        {
            var identity = (detailed || !endpoint.IsUnix ? null : await PingIdentityAsync(http, ct)) ?? await ReadIdentityAsync(http, ct);
            http.Version = identity.NegotiatedApiVersion;
            return new EngineClient(http, identity, time ?? TimeProvider.System);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The identity from <c>/_ping</c>'s headers, or null when they don't say enough (then the full read is used).</summary>
    private static async Task<EngineIdentity?> PingIdentityAsync(EngineHttp http, CancellationToken ct)
    {
        using var response = await http.SendAsync(HttpMethod.Get, "/_ping", null, "ping the engine", ct);
        // Joined: HttpClient splits a product header such as "Libpod/4.3.1 (linux)" into its parts.
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(' ', values) : null;
        if (!EngineApiVersion.TryParse(Header("Api-Version"), out var serverApi) || Header("Server") is not { } server)
        {
            return null;
        }

        // "Libpod/4.3.1 (linux)" or "Docker/20.10.24+dfsg1 (linux)"
        var kind = Header("Libpod-Api-Version") is not null ? EngineKind.Podman : EngineKind.Docker;
        var product = server.Split(' ')[0];
        var version = product.Contains('/', StringComparison.Ordinal) ? product[(product.IndexOf('/', StringComparison.Ordinal) + 1)..] : product;
        var os = Header("Ostype") ?? (server.Contains("(linux)", StringComparison.Ordinal) ? "linux" : "");
        return new EngineIdentity(kind, version, serverApi, EngineApiVersion.Negotiate(serverApi), LooksRootless(http.Endpoint), os, LocalHost.Arch, LocalHost.KernelVersion);
    }

    /// <summary>
    /// A rootless engine's socket lives in its user's runtime dir (/run/user/UID, or Airlock's private $TMPDIR/airlock-UID);
    /// a rootful one's under /run or /var/run. Engines say so reliably only in the slow /info.
    /// </summary>
    private static bool LooksRootless(EngineEndpoint endpoint) =>
        endpoint.Address.StartsWith("/run/user/", StringComparison.Ordinal)
        || endpoint.Address.StartsWith("/tmp/airlock-", StringComparison.Ordinal)
        || (LocalHost.UserId > 0 && endpoint.Address.EndsWith($"/airlock-{LocalHost.UserId}/podman.sock", StringComparison.Ordinal))
        || (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 1 } xdg && LocalHost.UserId != 0
            && endpoint.Address.StartsWith(xdg.TrimEnd('/') + "/", StringComparison.Ordinal));

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

    /// <summary>The CPUs and memory of the engine's machine (<c>/info</c>'s NCPU and MemTotal); podman answers it in about a second.</summary>
    public async Task<EngineResources> ResourcesAsync(CancellationToken ct = default)
    {
        var info = await _http.GetJsonAsync(_http.Path("/info"), EngineJsonContext.Default.InfoResponse, "read engine info", ct);
        return new EngineResources(info.NCPU, info.MemTotal);
    }

    /// <summary>The OCI runtimes the engine has registered (<c>/info</c>); podman answers it in about a second.</summary>
    public async Task<EngineRuntimes> RuntimesAsync(CancellationToken ct = default) =>
        EngineRuntimes.From(await _http.GetJsonAsync(_http.Path("/info"), EngineJsonContext.Default.InfoResponse, "read engine info", ct));

    public void Dispose() => _http.Dispose();
}
