using System.Globalization;
using System.Text;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// Reads HTTP/1.1 requests one after another from a stream the policy point has opened (an intercepted TLS connection):
/// each head whole, so it can be checked and rewritten, and each body passed on as it comes, framed by its
/// Content-Length or chunked coding, so the next head is found where it starts. Nothing is guessed: a framing it cannot
/// follow ends the connection.
/// </summary>
internal sealed class HttpRequestReader(Stream source, int maxHeadBytes)
{
    private const int MaxLineBytes = 4096;

    private readonly byte[] _buffer = new byte[maxHeadBytes + MaxLineBytes];
    private int _start;
    private int _end;

    /// <summary>The next head: null at a clean end of stream; <paramref name="problem"/> set when it is too large or malformed.</summary>
    public async Task<(HttpRequestHead? Head, string? Problem)> ReadHeadAsync(CancellationToken ct)
    {
        while (true)
        {
            var end = HttpRequestHead.FindEnd(_buffer.AsSpan(_start, _end - _start));
            if (end >= 0)
            {
                if (end > maxHeadBytes)
                {
                    return (null, $"the request head is larger than {maxHeadBytes} bytes");
                }

                var parsed = HttpRequestHead.TryParse(_buffer.AsSpan(_start, end), out var head, out var problem);
                _start += end;
                return parsed ? (head, null) : (null, problem);
            }

            if (_end - _start >= maxHeadBytes)
            {
                return (null, $"the request head is larger than {maxHeadBytes} bytes");
            }

            if (!await FillAsync(ct).ConfigureAwait(false))
            {
                return (null, _end == _start ? null : "the connection ended inside a request head");
            }
        }
    }

    /// <summary>Passes <paramref name="count"/> bytes on; false if the stream ends first.</summary>
    public async Task<bool> CopyAsync(long count, Stream to, Action<int> counted, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(ct).ConfigureAwait(false))
            {
                return false;
            }

            var n = (int)Math.Min(count, _end - _start);
            await to.WriteAsync(_buffer.AsMemory(_start, n), ct).ConfigureAwait(false);
            _start += n;
            count -= n;
            counted(n);
        }

        return true;
    }

    /// <summary>Passes a chunked body on, chunks and trailers as they are; the problem with its framing, or null.</summary>
    public async Task<string?> CopyChunkedAsync(Stream to, Action<int> counted, CancellationToken ct)
    {
        while (true)
        {
            var line = await CopyLineAsync(to, counted, ct).ConfigureAwait(false);
            if (line is null)
            {
                return "the connection ended inside a chunked body";
            }

            var size = line.Split(';', 2)[0].Trim();
            if (size.Length is 0 or > 15 || !long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length))
            {
                return "a chunk size is not a hexadecimal number";
            }

            if (length == 0)
            {
                // Trailers, then the empty line that ends the body.
                while (true)
                {
                    var trailer = await CopyLineAsync(to, counted, ct).ConfigureAwait(false);
                    if (trailer is null)
                    {
                        return "the connection ended inside a chunked body's trailers";
                    }

                    if (trailer.Length == 0)
                    {
                        return null;
                    }
                }
            }

            if (!await CopyAsync(length, to, counted, ct).ConfigureAwait(false) || await CopyLineAsync(to, counted, ct).ConfigureAwait(false) is not "")
            {
                return "a chunk does not end where its size says";
            }
        }
    }

    /// <summary>Passes on everything until the end of stream (an upgraded connection).</summary>
    public async Task CopyRestAsync(Stream to, Action<int> counted, CancellationToken ct) =>
        await CopyAsync(long.MaxValue, to, counted, ct).ConfigureAwait(false);

    /// <summary>Passes one CRLF-ended line on and returns it without its end; null at end of stream or past the line limit.</summary>
    private async Task<string?> CopyLineAsync(Stream to, Action<int> counted, CancellationToken ct)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, at);
                await to.WriteAsync(_buffer.AsMemory(_start, at + 2), ct).ConfigureAwait(false);
                counted(at + 2);
                _start += at + 2;
                return line;
            }

            if (_end - _start >= MaxLineBytes || !await FillAsync(ct).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            return false;
        }

        var n = await source.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        _end += n;
        return n > 0;
    }
}
