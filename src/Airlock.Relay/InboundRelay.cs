using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Airlock.Relay;

/// <summary>
/// Port forwarding into a sandbox that has no network: the sandbox cannot be connected to, so the relay connects out. It
/// keeps <see cref="Parked"/> connections open on the host's unix socket; when the host has a client for this port it
/// sends one byte on a parked connection, and the relay connects that one to the port inside and carries it both ways,
/// parking a new one meanwhile. Nothing here is written to the host's filesystem and nothing listens outside the sandbox.
/// </summary>
internal sealed class InboundRelay : IAsyncDisposable
{
    /// <summary>How many idle connections wait for the host at any time: enough for a burst of a browser's connections.</summary>
    public const int Parked = 4;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    // How long connections already carried may take to finish when the relay stops: a service that answers and exits
    // (the sandbox's command often is the service) has written its answer, which must not be cut off in the relay.
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    private readonly Inbound _inbound;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<Task, bool> _carries = new();
    private readonly Task[] _parkers;

    private InboundRelay(Inbound inbound)
    {
        _inbound = inbound;
        _parkers = Enumerable.Range(0, Parked).Select(_ => Task.Run(ParkLoopAsync)).ToArray();
    }

    public static InboundRelay Start(Inbound inbound) => new(inbound);

    /// <summary>Parks a connection, waits to be woken, carries it; again, until stopped. A host not there yet is retried.</summary>
    private async Task ParkLoopAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (!_stop.IsCancellationRequested)
        {
            var parked = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await parked.ConnectAsync(new UnixDomainSocketEndPoint(_inbound.SocketPath), _stop.Token).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(50);
                var wake = new byte[1];
                if (await parked.ReceiveAsync(wake, SocketFlags.None, _stop.Token).ConfigureAwait(false) == 0)
                {
                    // The host dropped it (it keeps a bounded number): park again.
                    parked.Dispose();
                    continue;
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                parked.Dispose();
                await PauseAsync(backoff).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                parked.Dispose();
                return;
            }

            // Woken: carried on its own, while this loop parks the next one at once.
            var carry = CarryAsync(parked);
            _carries[carry] = true;
            _ = carry.ContinueWith(done => _carries.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task CarryAsync(Socket host)
    {
        using (host)
        using (var service = new Socket(_inbound.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        {
            try
            {
                await service.ConnectAsync(_inbound.Target, _abort.Token).ConfigureAwait(false);
                await Task.WhenAll(
                    SocketCopy.CopyAsync(host, service, _abort.Token),
                    SocketCopy.CopyAsync(service, host, _abort.Token)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // Nothing listens on the port yet, or a side went away: closing tells the host's client.
            }
        }
    }

    private async Task PauseAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_parkers).ConfigureAwait(false);
        var carries = Task.WhenAll(_carries.Keys);
        await Task.WhenAny(carries, Task.Delay(Drain)).ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        await carries.ConfigureAwait(false);
        _stop.Dispose();
        _abort.Dispose();
    }
}
