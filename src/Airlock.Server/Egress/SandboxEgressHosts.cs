using System.Collections.Concurrent;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Secrets;
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
/// (which connects once per connection) finds it. A sandbox with secrets gets its proxy made with them and with the
/// sandbox's own certificate authority, whose certificate (and a bundle with the host's roots) is written beside the
/// socket for the sandbox to trust.
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

    private readonly ConcurrentDictionary<string, Hosted> _proxies = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The directory the sandboxes' socket directories are in.</summary>
    public string Root { get; } = options.RuntimeDirectory
        ?? Path.Combine(PrivateRuntimeDirectory.For(DiscoveryEnvironment.FromProcess()), "serve-" + identity.Id[3..Math.Min(identity.Id.Length, 15)]);

    public string DirectoryFor(string sandboxId) => Path.Combine(Root, sandboxId);

    public bool IsHosting(string sandboxId) => _proxies.ContainsKey(sandboxId);

    /// <summary>
    /// The sandbox's proxy, started with <paramref name="policy"/> and <paramref name="secrets"/> (or given them, when
    /// already hosted), and the wiring the runtime mounts. 503 when the relay or the runtime directory is not usable.
    /// The authority in <paramref name="secrets"/> is this object's from here on (disposed when not needed).
    /// </summary>
    public SandboxEgress Host(string tenantId, string sandboxId, EgressPolicy policy, HostedSecrets? secrets = null)
    {
        if (OperatingSystem.IsWindows())
        {
            throw NotOnWindows();
        }

        string relay;
        try
        {
            relay = Relay();
        }
        catch
        {
            secrets?.Authority.Dispose();
            throw;
        }

        lock (_gate)
        {
            if (_proxies.TryGetValue(sandboxId, out var hosted))
            {
                hosted.Proxy.UpdatePolicy(policy);
                if (secrets is not null && hosted.Authority is not null)
                {
                    hosted.Proxy.UpdateSecrets(secrets.Set);
                }

                // The hosted proxy keeps the authority its sandbox already trusts.
                secrets?.Authority.Dispose();
                return new SandboxEgress(DirectoryFor(sandboxId), relay, TrustsAuthority: hosted.Authority is not null);
            }

            EgressProxy? proxy = null;
            try
            {
                var directory = PrepareDirectory(sandboxId);
                var socket = Path.Combine(directory, EgressWiring.SocketName);
                // Left by this server's previous run (the directory is the server user's alone): listened on again.
                File.Delete(socket);
                if (secrets is not null)
                {
                    SandboxTrust.WriteInto(directory, secrets.Authority);
                }

                proxy = new EgressProxy(policy, new EgressProxyOptions
                {
                    SandboxId = sandboxId,
                    Log = records.For(tenantId),
                    AllowHint = d => $"the tenant can allow {d.Host} with PUT /v1/sandboxes/{sandboxId}/network, within the egress ceiling the system admin sets with PUT /v1/tenants/{tenantId}/egress",
                    Time = time,
                    Logger = logger,
                    Secrets = secrets?.Set ?? SecretSet.Empty,
                    Authority = secrets?.Authority,
                    UpstreamRoots = options.UpstreamRoots,
                });
                proxy.ListenUnix(socket);
                File.SetUnixFileMode(socket, SocketMode);
                _proxies[sandboxId] = new Hosted(proxy, secrets?.Authority);
                LogHosted(logger, sandboxId, socket, secrets?.Set.Bindings.Count ?? 0);
                return new SandboxEgress(directory, relay, TrustsAuthority: secrets is not null);
            }
            catch
            {
                proxy?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                secrets?.Authority.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Gives a hosted proxy the sandbox's secrets as they are now (a value rotated, a secret deleted); connections from
    /// then on use them. False when this server hosts no proxy with secrets for the sandbox.
    /// </summary>
    public bool UpdateSecrets(string sandboxId, SecretSet secrets)
    {
        if (!_proxies.TryGetValue(sandboxId, out var hosted) || hosted.Authority is null)
        {
            return false;
        }

        hosted.Proxy.UpdateSecrets(secrets);
        return true;
    }

    /// <summary>Gives a hosted proxy <paramref name="policy"/>; false when this server hosts none for the sandbox.</summary>
    public bool Update(string sandboxId, EgressPolicy policy)
    {
        if (!_proxies.TryGetValue(sandboxId, out var hosted))
        {
            return false;
        }

        hosted.Proxy.UpdatePolicy(policy);
        return true;
    }

    /// <summary>Stops the sandbox's proxy (its connections are recorded as they close) and removes its directory; the sandbox is going.</summary>
    public async Task RemoveAsync(string sandboxId)
    {
        if (_proxies.TryRemove(sandboxId, out var hosted))
        {
            await hosted.DisposeAsync();
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
            if (_proxies.TryRemove(id, out var hosted))
            {
                await hosted.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "egress proxy of sandbox {Id} listens on {Socket} with {Secrets} secret(s)")]
    private static partial void LogHosted(ILogger logger, string id, string socket, int secrets);

    /// <summary>A proxy and the authority it signs with (null: a sandbox without secrets).</summary>
    private sealed record Hosted(EgressProxy Proxy, SandboxCertificateAuthority? Authority) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            Authority?.Dispose();
        }
    }
}
