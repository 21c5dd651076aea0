using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Engine.Transport;

/// <summary>
/// Reads the body of an engine's error answer to an upgrade request (attach, exec start) from the raw connection, framed
/// as HTTP/1.1 frames it (RFC 9112 section 6.3): chunked, by Content-Length, or up to the engine closing the connection.
/// It stops where the body ends, so a connection the engine keeps alive is never waited on, and keeps at most
/// <see cref="MaxBytes"/>, leaving the rest unread (the connection is dropped afterwards). A malformed frame ends the
/// body where it is: the status already says what failed, the body only adds the engine's words.
/// </summary>
internal sealed class ErrorBodyReader
{
    /// <summary>An error message, not a download: what is kept of a body.</summary>
    public const int MaxBytes = 64 * 1024;

    private const int MaxLineBytes = 4096;
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[4096];
    private ReadOnlyMemory<byte> _pending;

    private ErrorBodyReader(Socket socket, ReadOnlyMemory<byte> alreadyRead)
    {
        _socket = socket;
        _pending = alreadyRead;
    }

    /// <param name="alreadyRead">What was received past the response head.</param>
    public static async Task<string> ReadAsync(
        Socket socket, int status, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> alreadyRead, CancellationToken ct)
    {
        if (status is (>= 100 and < 200) or 204 or 304)
        {
            return "";
        }

        var reader = new ErrorBodyReader(socket, alreadyRead);
        var body = new MemoryStream();
        if (headers.TryGetValue("Transfer-Encoding", out var codings) && codings.Split(',')[^1].Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            await reader.ReadChunksAsync(body, ct);
        }
        else if (headers.TryGetValue("Content-Length", out var declared))
        {
            if (long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                await reader.CopyAsync(body, Math.Min(length, MaxBytes), ct);
            }
        }
        else
        {
            await reader.CopyAsync(body, MaxBytes, ct);
        }

        return Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
    }

    /// <summary>Each chunk is a hex size line (perhaps with ";extensions"), that many bytes of data (CRLFs included), and a CRLF; size 0 ends the body.</summary>
    private async Task ReadChunksAsync(MemoryStream body, CancellationToken ct)
    {
        while (body.Length < MaxBytes)
        {
            var line = await ReadLineAsync(ct);
            var size = line?.Split(';')[0].Trim();
            if (size is not { Length: > 0 and <= 15 } || !long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length) || length == 0)
            {
                return; // the last chunk, the engine gone, or a size line that is not one
            }

            var wanted = Math.Min(length, MaxBytes - body.Length);
            if (await CopyAsync(body, wanted, ct) < length || !await LineEndAsync(ct))
            {
                return;
            }
        }
    }

    /// <summary>Copies up to <paramref name="count"/> bytes; fewer when the engine closes first.</summary>
    private async Task<long> CopyAsync(MemoryStream body, long count, CancellationToken ct)
    {
        var copied = 0L;
        while (copied < count && await FillAsync(ct))
        {
            var n = (int)Math.Min(count - copied, _pending.Length);
            body.Write(_pending.Span[..n]);
            _pending = _pending[n..];
            copied += n;
        }

        return copied;
    }

    /// <summary>Whether the next bytes are the CRLF (or bare LF) that ends a chunk's data, without reading past them.</summary>
    private async Task<bool> LineEndAsync(CancellationToken ct)
    {
        var first = await ReadByteAsync(ct);
        return first == '\n' || (first == '\r' && await ReadByteAsync(ct) == '\n');
    }

    /// <summary>The next byte, or -1 once the engine has closed.</summary>
    private async Task<int> ReadByteAsync(CancellationToken ct)
    {
        if (!await FillAsync(ct))
        {
            return -1;
        }

        var b = _pending.Span[0];
        _pending = _pending[1..];
        return b;
    }

    /// <summary>A line ended by CRLF (or a bare LF), without its end; null when the engine closed first or the line is too long.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (line.Count <= MaxLineBytes && await FillAsync(ct))
        {
            var end = _pending.Span.IndexOf((byte)'\n');
            var take = end < 0 ? _pending.Length : end;
            line.AddRange(_pending.Span[..take]);
            _pending = _pending[(end < 0 ? take : take + 1)..];
            if (end >= 0)
            {
                return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
            }
        }

        return null;
    }

    /// <summary>Makes sure something is pending, reading from the socket if needed; false once the engine has closed.</summary>
    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (!_pending.IsEmpty)
        {
            return true;
        }

        var n = await _socket.ReceiveAsync(_buffer, SocketFlags.None, ct);
        _pending = _buffer.AsMemory(0, n);
        return n > 0;
    }
}
