using System.Globalization;
using System.Text.Json;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// Appends each record as one JSON line to a file created 0600 (it names every host a sandbox reached). Lines are written
/// whole and flushed, so a reader tailing the file never sees half a record.
/// </summary>
public sealed class JsonLinesEgressLog : IEgressLog, IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LineRenderer _buffer = new();

    public JsonLinesEgressLog(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        _file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // An older file made with a looser mode is tightened too: the create mode only applies to a new file.
            File.SetUnixFileMode(_file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public async ValueTask WriteAsync(EgressRecord record, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var line = _buffer.Render(record);
            await _file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    // One writer reused under the gate: a record is small, and a busy proxy writes many. Field names are the record's
    // in camelCase, time is UTC ISO 8601, durationMs has microsecond precision.
    private sealed class LineRenderer
    {
        private readonly System.Buffers.ArrayBufferWriter<byte> _bytes = new(512);

        public ReadOnlyMemory<byte> Render(EgressRecord r)
        {
            _bytes.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(_bytes))
            {
                w.WriteStartObject();
                w.WriteString("time", r.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("sandbox", r.SandboxId);
                w.WriteString("protocol", r.Protocol.ToString().ToLowerInvariant());
                w.WriteString("host", r.Host);
                w.WriteNumber("port", r.Port);
                if (r.Address is { } address)
                {
                    w.WriteString("address", address.ToString());
                }
                else
                {
                    w.WriteNull("address");
                }

                w.WriteString("verdict", r.Verdict.ToString().ToLowerInvariant());
                w.WriteString("reason", r.Reason);
                w.WriteNumber("bytesUp", r.BytesUp);
                w.WriteNumber("bytesDown", r.BytesDown);
                w.WriteNumber("durationMs", Math.Round(r.Duration.TotalMilliseconds, 3));
                w.WriteEndObject();
            }

            System.Buffers.BuffersExtensions.Write(_bytes, "\n"u8);
            return _bytes.WrittenMemory;
        }
    }
}
