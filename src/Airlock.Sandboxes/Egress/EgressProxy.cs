using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Airlock.Sandboxes.Secrets;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// The host-side proxy that is a sandbox's only way out. On each listener it speaks HTTP CONNECT, plain HTTP proxy
/// requests (absolute URI, one request per connection) and SOCKS5 (CONNECT, no auth); it checks every destination
/// against the <see cref="EgressPolicy"/>, resolves names itself, connects only to an address that passed, and records
/// every connection (<see cref="EgressRecord"/>). Everything a client sends is treated as an attack.
/// </summary>
public sealed class EgressProxy : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Socket Socket, string? UnixPath)> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<EgressConnection, Task> _connections = new();
    private readonly Lock _gate = new();
    private EgressPolicy _policy;
    private SecretSet _secrets;
    private int _active;
    private bool _disposed;

    public EgressProxy(EgressPolicy policy, EgressProxyOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxHeadBytes, 512);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CopyBufferBytes, 1024);
        if (!options.Secrets.IsEmpty && options.Authority is null)
        {
            throw new ArgumentException("a proxy with secrets needs the sandbox's certificate authority", nameof(options));
        }

        _policy = policy;
        _secrets = options.Secrets;
        Options = options;
        HostAddresses = options.HostAddresses ?? Network.HostAddresses.Current();
    }

    /// <summary>The policy new connections are checked against.</summary>
    public EgressPolicy Policy => Volatile.Read(ref _policy);

    /// <summary>The secrets new connections fill in (<see cref="EgressProxyOptions.Secrets"/> until replaced).</summary>
    public SecretSet Secrets => Volatile.Read(ref _secrets);

    /// <summary>Connections being handled now.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    internal EgressProxyOptions Options { get; }

    internal IReadOnlyCollection<IPAddress> HostAddresses { get; }

    /// <summary>Replaces the policy; connections accepted from now on are checked against it, open ones keep theirs.</summary>
    public void UpdatePolicy(EgressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Volatile.Write(ref _policy, policy);
    }

    /// <summary>
    /// Replaces the secrets (a value rotated, a host changed, a secret withdrawn): connections accepted from now on fill
    /// in these, open ones keep theirs. Secrets need the authority the proxy was made with.
    /// </summary>
    public void UpdateSecrets(SecretSet secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (!secrets.IsEmpty && Options.Authority is null)
        {
            throw new InvalidOperationException("a proxy made without a certificate authority cannot be given secrets");
        }

        Volatile.Write(ref _secrets, secrets);
    }

    /// <summary>
    /// Listens on a new unix socket at <paramref name="path"/> (which must not exist), made 0600. Put it in a directory
    /// only the owner can enter: the mode is set just after bind.
    /// </summary>
    public UnixDomainSocketEndPoint ListenUnix(string path) => ListenUnix(path, hostPort: null);

    /// <summary>
    /// Like <see cref="ListenUnix(string)"/>, but every connection on it goes to port <paramref name="port"/> of the host's
    /// loopback, with no handshake: a host port the sandbox was given (a local model server), reached at
    /// <see cref="Specs.NetworkPolicy.HostServiceName"/> inside. Recorded like any other connection; the policy does not
    /// apply, since the port was granted when the sandbox was made.
    /// </summary>
    public UnixDomainSocketEndPoint ListenUnixHostPort(string path, int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65_535);
        return ListenUnix(path, port);
    }

    private UnixDomainSocketEndPoint ListenUnix(string path, int? hostPort)
    {
        var endpoint = new UnixDomainSocketEndPoint(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Start(socket, path, hostPort);
        return endpoint;
    }

    /// <summary>Listens on TCP at a loopback <paramref name="endpoint"/> (port 0 picks one); for tests and benchmarks.</summary>
    public IPEndPoint ListenTcp(IPEndPoint endpoint)
    {
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            throw new ArgumentException($"{endpoint} is not a loopback address; the proxy is for local sandboxes only", nameof(endpoint));
        }

        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Start(socket, null, null);
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Serves on a socket that is bound and listening already; the proxy owns it from now on.</summary>
    public void Start(Socket listener) => Start(listener, null, null);

    private void Start(Socket listener, string? unixPath, int? hostPort)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _listeners.Add((listener, unixPath));
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener, hostPort)));
        }
    }

    private async Task AcceptLoopAsync(Socket listener, int? hostPort)
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of descriptors, most likely: pause rather than spin, and go on once some are free again.
                EgressLogMessages.AcceptFailed(Options.Logger, Options.SandboxId, ex);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), Options.Time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            var connection = new EgressConnection(this, client, Policy, hostPort);
            if (Interlocked.Increment(ref _active) > Options.MaxConnections)
            {
                Interlocked.Decrement(ref _active);
                // Refused inline: a flood then waits on its own records instead of piling up work.
                await connection.RejectAsync(EgressReasons.TooManyConnections).ConfigureAwait(false);
                continue;
            }

            // Tracked before it starts, so that a connection ending at once is not left behind in the table.
            var run = new Task<Task>(() => RunAsync(connection));
            _connections[connection] = run.Unwrap();
            run.Start(TaskScheduler.Default);
        }
    }

    private async Task RunAsync(EgressConnection connection)
    {
        try
        {
            await connection.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One connection's bug must not take the proxy, and the sandbox's other connections, down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EgressLogMessages.ConnectionFailed(Options.Logger, Options.SandboxId, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>Stops listening, closes every connection (each still recorded) and removes the unix sockets it made.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var (socket, _) in _listeners)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        foreach (var (_, path) in _listeners)
        {
            try
            {
                if (path is not null)
                {
                    File.Delete(path);
                }
            }
            catch (DirectoryNotFoundException)
            {
                // Its directory went first (the owner removed it): nothing is left to delete.
            }
        }

        _stopping.Dispose();
    }
}
