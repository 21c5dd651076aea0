using Airlock.Engine.Transport;

namespace Airlock.Engine.Streams;

/// <summary>
/// A live connection to a process in a container (an attach or an exec): write its stdin, half-close it to send EOF,
/// and read its output, demultiplexed unless the process has a TTY.
/// </summary>
public sealed class ProcessStream : IAsyncDisposable, IDisposable
{
    private readonly HijackedStream _stream;

    internal ProcessStream(HijackedStream stream, bool tty)
    {
        _stream = stream;
        Tty = tty;
    }

    public bool Tty { get; }

    /// <summary>The raw connection, for callers that pump bytes themselves (an interactive terminal).</summary>
    public Stream Raw => _stream;

    public async ValueTask WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        await _stream.WriteAsync(data, ct);
        await _stream.FlushAsync(ct);
    }

    /// <summary>Signals EOF on stdin; output keeps arriving until the process exits.</summary>
    public void CloseStdin() => _stream.CloseWrite();

    public IAsyncEnumerable<OutputChunk> ReadOutputAsync(CancellationToken ct = default) =>
        Tty ? MultiplexedStreamReader.ReadRawAsync(_stream, ct) : MultiplexedStreamReader.ReadAsync(_stream, ct);

    public Task CopyOutputToAsync(Stream stdout, Stream stderr, CancellationToken ct = default) =>
        MultiplexedStreamReader.CopyToAsync(ReadOutputAsync(ct), stdout, stderr, ct);

    /// <summary>Reads all output to the end and returns it as text, stdout and stderr apart.</summary>
    public async Task<(string Stdout, string Stderr)> ReadAllTextAsync(CancellationToken ct = default)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        await CopyOutputToAsync(stdout, stderr, ct);
        return (System.Text.Encoding.UTF8.GetString(stdout.ToArray()), System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    public void Dispose() => _stream.Dispose();
}
