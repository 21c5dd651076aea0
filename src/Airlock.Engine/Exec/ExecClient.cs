using System.Text.Json;
using Airlock.Engine.Json;
using Airlock.Engine.Streams;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Exec;

/// <summary>Runs extra processes inside running containers.</summary>
public sealed class ExecClient
{
    private readonly EngineHttp _http;
    private readonly TimeProvider _time;

    internal ExecClient(EngineHttp http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <summary>Creates an exec instance and returns its id; nothing runs until it is started.</summary>
    public async Task<string> CreateAsync(string containerId, ExecOptions options, CancellationToken ct = default)
    {
        var body = new ExecCreateBody
        {
            Cmd = options.Command,
            Env = options.Environment.Count == 0 ? null : options.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            User = options.User,
            WorkingDir = options.WorkingDirectory,
            Tty = options.Tty,
            AttachStdin = options.AttachStdin,
        };
        var created = await _http.PostJsonAsync(
            _http.Path($"/containers/{Uri.EscapeDataString(containerId)}/exec"),
            body,
            EngineJsonContext.Default.ExecCreateBody,
            EngineJsonContext.Default.IdResponse,
            $"create exec in container {containerId}",
            ct);
        return created.Id;
    }

    /// <summary>Starts the exec and returns its live stdio.</summary>
    public async Task<ProcessStream> StartAsync(string execId, bool tty, CancellationToken ct = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ExecStartBody { Detach = false, Tty = tty }, EngineJsonContext.Default.ExecStartBody);
        var stream = await _http.HijackAsync(_http.Path($"/exec/{Uri.EscapeDataString(execId)}/start"), body, $"start exec {execId}", ct);
        return new ProcessStream(stream, tty);
    }

    public Task ResizeAsync(string execId, int columns, int rows, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, _http.Path($"/exec/{Uri.EscapeDataString(execId)}/resize") + Containers.ContainersClient.SizeQuery(columns, rows), $"resize exec {execId}", ct);

    public Task<ExecDetails> InspectAsync(string execId, CancellationToken ct = default) =>
        _http.GetJsonAsync(_http.Path($"/exec/{Uri.EscapeDataString(execId)}/json"), EngineJsonContext.Default.ExecDetails, $"inspect exec {execId}", ct);

    /// <summary>
    /// The exit code of a finished exec. The output stream can close a moment before the engine records the code, so this
    /// re-reads briefly (bounded) until the exec is no longer running.
    /// </summary>
    public async Task<int> GetExitCodeAsync(string execId, CancellationToken ct = default)
    {
        var deadline = _time.GetTimestamp() + (long)(5 * _time.TimestampFrequency);
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var details = await InspectAsync(execId, ct);
            if (!details.Running && details.ExitCode is { } code)
            {
                return code;
            }

            if (_time.GetTimestamp() > deadline)
            {
                throw new Errors.EngineException($"exec {execId} still reports running 5 s after its output closed");
            }

            await Task.Delay(delay, _time, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    /// <summary>Runs a command to completion, optionally feeding it stdin, and returns its exit code and output.</summary>
    public async Task<ExecResult> RunAsync(string containerId, ExecOptions options, ReadOnlyMemory<byte>? stdin = null, CancellationToken ct = default)
    {
        var withStdin = options with { AttachStdin = stdin is not null || options.AttachStdin };
        var execId = await CreateAsync(containerId, withStdin, ct);
        string stdout, stderr;
        await using (var stream = await StartAsync(execId, options.Tty, ct))
        {
            if (stdin is { } input)
            {
                await stream.WriteStdinAsync(input, ct);
                stream.CloseStdin();
            }

            (stdout, stderr) = await stream.ReadAllTextAsync(ct);
        }

        return new ExecResult(await GetExitCodeAsync(execId, ct), stdout, stderr);
    }
}
