using System.Collections.Concurrent;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Runtime;
using Airlock.Server.Errors;
using Airlock.Server.Nodes;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Egress;

/// <summary>
/// The egress proxies of this server's allowlist sandboxes, one each (as the launcher's SessionEgress hosts one per
/// launch): listening on <c>proxy.sock</c> in a directory of the sandbox's own under the server's private runtime
/// directory, mounted read-only into the sandbox, its records written through <see cref="EgressRecordWriter"/>. A proxy
/// is hosted before the sandbox's container is made and removed with the sandbox; when the server stops, its proxies
/// stop but their directories stay, so the server's next start listens again at the same path and the sandbox's relay
/// (which connects once per connection) finds it.
/// </summary>
public sealed partial class SandboxEgressHosts(
    ServerOptions options, ServerIdentity identity, EgressRecordWriter records, TimeProvider time, ILogger<SandboxEgressHosts> logger) : IAsyncDisposable
{
    // The sandbox side may be any user of the sandbox (the image's): the socket's own directory and the socket are open
    // to all, which reaches nobody on the host, as the root above them is the server user's alone (0700).
    private const UnixFileMode SandboxDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private readonly ConcurrentDictionary<string, EgressProxy> _proxies = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The directory the sandboxes' socket directories are in.</summary>
    public string Root { get; } = options.RuntimeDirectory
        ?? Path.Combine(PrivateRuntimeDirectory.For(DiscoveryEnvironment.FromProcess()), "serve-" + identity.Id[3..Math.Min(identity.Id.Length, 15)]);

    public string DirectoryFor(string sandboxId) => Path.Combine(Root, sandboxId);

    public bool IsHosting(string sandboxId) => _proxies.ContainsKey(sandboxId);

    /// <summary>
    /// The sandbox's proxy, started with <paramref name="policy"/> (or given it, when already hosted), and the wiring the
    /// runtime mounts. 503 when the relay or the runtime directory is not usable.
    /// </summary>
    public SandboxEgress Host(string tenantId, string sandboxId, EgressPolicy policy)
    {
        if (OperatingSystem.IsWindows())
        {
            throw NotOnWindows();
        }

        var relay = Relay();
        lock (_gate)
        {
            if (_proxies.TryGetValue(sandboxId, out var hosted))
            {
                hosted.UpdatePolicy(policy);
                return new SandboxEgress(DirectoryFor(sandboxId), relay);
            }

            var directory = PrepareDirectory(sandboxId);
            var socket = Path.Combine(directory, EgressWiring.SocketName);
            // Left by this server's previous run (the directory is the server user's alone): listened on again.
            File.Delete(socket);
            var proxy = new EgressProxy(policy, new EgressProxyOptions
            {
                SandboxId = sandboxId,
                Log = records.For(tenantId),
                AllowHint = d => $"the tenant can allow {d.Host} with PUT /v1/sandboxes/{sandboxId}/network, within the egress ceiling the system admin sets with PUT /v1/tenants/{tenantId}/egress",
                Time = time,
                Logger = logger,
            });
            try
            {
                proxy.ListenUnix(socket);
                File.SetUnixFileMode(socket, SocketMode);
            }
            catch
            {
                proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }

            _proxies[sandboxId] = proxy;
            LogHosted(logger, sandboxId, socket);
            return new SandboxEgress(directory, relay);
        }
    }

    /// <summary>Gives a hosted proxy <paramref name="policy"/>; false when this server hosts none for the sandbox.</summary>
    public bool Update(string sandboxId, EgressPolicy policy)
    {
        if (!_proxies.TryGetValue(sandboxId, out var proxy))
        {
            return false;
        }

        proxy.UpdatePolicy(policy);
        return true;
    }

    /// <summary>Stops the sandbox's proxy (its connections are recorded as they close) and removes its directory; the sandbox is going.</summary>
    public async Task RemoveAsync(string sandboxId)
    {
        if (_proxies.TryRemove(sandboxId, out var proxy))
        {
            await proxy.DisposeAsync();
        }

        if (Directory.Exists(DirectoryFor(sandboxId)))
        {
            ConfinedDirectory.DeleteTree(DirectoryFor(sandboxId));
        }
    }

    private static string Relay()
    {
        try
        {
            return RelayExecutable.Require();
        }
        catch (FileNotFoundException ex)
        {
            throw new ApiException(503, "egress unavailable", $"this server cannot run allowlist sandboxes: {ex.Message}") { RetryAfterSeconds = 60 };
        }
    }

    private static ApiException NotOnWindows() =>
        new(503, "egress unavailable", "allowlist sandboxes need a Linux server (the egress proxy listens on a unix socket mounted into the sandbox)");

    private string PrepareDirectory(string sandboxId)
    {
        if (OperatingSystem.IsWindows())
        {
            throw NotOnWindows();
        }

        try
        {
            PrivateRuntimeDirectory.Ensure(Root);
        }
        catch (EngineUnreachableException ex)
        {
            throw new ApiException(503, "egress unavailable", $"this server cannot run allowlist sandboxes: {ex.Message} ({ex.HowToFix})") { RetryAfterSeconds = 60 };
        }

        var directory = Directory.CreateDirectory(DirectoryFor(sandboxId), SandboxDirectoryMode).FullName;
        File.SetUnixFileMode(directory, SandboxDirectoryMode);
        return directory;
    }

    /// <summary>The server is stopping: every proxy stops; the directories stay for its next start (see the type's summary).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in _proxies.Keys.ToList())
        {
            if (_proxies.TryRemove(id, out var proxy))
            {
                await proxy.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "egress proxy of sandbox {Id} listens on {Socket}")]
    private static partial void LogHosted(ILogger logger, string id, string socket);
}
