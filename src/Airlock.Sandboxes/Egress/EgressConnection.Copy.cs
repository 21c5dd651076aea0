using System.Buffers;
using System.Net.Sockets;

namespace Airlock.Sandboxes.Egress;

/// <summary>The copy both ways of an open tunnel.</summary>
internal sealed partial class EgressConnection
{
    /// <summary>
    /// Copies both ways until both ends have finished sending. One side's end of stream is passed on as a half-close
    /// (shutdown of sending), so a client that has sent its request still gets the whole download; a failure on either
    /// side ends both.
    /// </summary>
    private async Task PumpAsync(Socket upstream, CancellationToken stopping)
    {
        if (_options.TunnelBufferBytes > 0)
        {
            // The sandbox's side is a unix socket, whose default buffer (~200 KiB) fills at every download burst; a
            // larger one lets the splice move whole pipefuls instead of waiting for room every few KiB.
            _client.SendBufferSize = _options.TunnelBufferBytes;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var up = CopyAsync(_client, upstream, up: true, long.MaxValue, shutdownAfter: true, cancel.Token);
        var down = CopyAsync(upstream, _client, up: false, long.MaxValue, shutdownAfter: true, cancel.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        if (!await first.ConfigureAwait(false))
        {
            await cancel.CancelAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes; true when the source ended (or the limit was reached) cleanly.</summary>
    private async Task<bool> CopyAsync(Socket from, Socket to, bool up, long limit, bool shutdownAfter, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_options.CopyBufferBytes);
        var splice = limit == long.MaxValue && _options.Splice ? SocketSplice.TryCreate() : null;
        try
        {
            if (splice is not null)
            {
                await splice.CopyAsync(from, to, buffer, n => Count(up, n), ct).ConfigureAwait(false);
                limit = 0;
            }

            while (limit > 0)
            {
                var n = await from.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit)), SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                await SendAllAsync(to, buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                limit -= n;
                Count(up, n);
            }

            if (shutdownAfter)
            {
                to.Shutdown(SocketShutdown.Send);
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            splice?.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Count(bool up, int bytes)
    {
        if (up)
        {
            _bytesUp += bytes;
        }
        else
        {
            _bytesDown += bytes;
        }
    }
}
