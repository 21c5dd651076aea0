using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A fake of timing only: a Unix-socket relay in front of a real engine that holds back the first container start until
/// <see cref="Release"/>, so a test can act "while the sandbox is being started" for as long as it needs, as on a slow
/// engine. Every request, the held start included, reaches the real engine unchanged; a start whose client hangs up
/// while it is held is dropped (<see cref="StartAbandoned"/>), as the engine would never have seen it.
/// </summary>
public sealed partial class EngineStartGate : IAsyncDisposable
{
    // Not below /tmp/airlock-*: airlock takes an engine socket there for a rootless one.
    private readonly TempDirectory _dir = new("it-engine-gate-");
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly string _upstream;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    public EngineStartGate(string engine)
    {
        _upstream = Engines.Endpoint(engine).Address;
        SocketPath = _dir.Combine("engine.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        _accepting = AcceptAsync();
    }

    public string SocketPath { get; }

    /// <summary>What to give airlock as AIRLOCK_ENGINE.</summary>
    public string Address => "unix://" + SocketPath;

    /// <summary>Completes when a container start has arrived and is being held.</summary>
    public Task StartHeld => _held.Task;

    /// <summary>Completes when the client of the held start hung up before it was released.</summary>
    public Task StartAbandoned => _abandoned.Task;

    /// <summary>Lets the held start (and every later one) through.</summary>
    public void Release() => _released.TrySetResult();

    private Task AcceptAsync() => AcceptLoop.RunAsync(_listener, RelayAsync);

    private async Task RelayAsync(Socket client)
    {
        using var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        lock (_sockets)
        {
            _sockets.Add(client);
            _sockets.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(new UnixDomainSocketEndPoint(_upstream));
            await Task.WhenAll(ToEngineAsync(client, upstream), CopyAsync(upstream, client));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // One side went away: so does the other.
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task ToEngineAsync(Socket client, Socket upstream)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await client.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
            {
                upstream.Shutdown(SocketShutdown.Send);
                return;
            }

            if (!_released.Task.IsCompleted && ContainerStart().IsMatch(Encoding.ASCII.GetString(buffer, 0, Math.Min(n, 200))))
            {
                _held.TrySetResult();
                // Airlock sends nothing more on this connection before the answer: a read that ends means it hung up.
                var hangUp = client.ReceiveAsync(new byte[1], SocketFlags.None);
                if (await Task.WhenAny(_released.Task, hangUp) == hangUp)
                {
                    _abandoned.TrySetResult();
                    upstream.Dispose();
                    return;
                }
            }

            await upstream.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
        }
    }

    private static async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
        }

        to.Shutdown(SocketShutdown.Send);
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        _listener.Dispose();
        await _accepting;
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }

        _dir.Dispose();
    }

    [GeneratedRegex(@"^POST (/v[\d.]+)?(/libpod)?/containers/[^/\s]+/start[\s?]")]
    private static partial Regex ContainerStart();
}
