using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Airlock.Client;

/// <summary>The caller's tenant's sandboxes: <c>/v1/sandboxes</c>.</summary>
public sealed class SandboxesClient
{
    private readonly AirlockTransport _http;

    internal SandboxesClient(AirlockTransport http) => _http = http;

    public Task<Sandbox> CreateAsync(CreateSandboxBody body, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, "v1/sandboxes", AirlockTransport.Json(body, AirlockJson.Default.CreateSandboxBody), AirlockJson.Default.Sandbox, ct);

    public Task<Sandbox> GetAsync(string id, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, $"v1/sandboxes/{AirlockTransport.Segment(id)}", null, AirlockJson.Default.Sandbox, ct);

    /// <summary>One page; pass its <see cref="SandboxPage.NextPageToken"/> back for the next.</summary>
    public Task<SandboxPage> ListPageAsync(SandboxQuery? query = null, string? pageToken = null, CancellationToken ct = default)
    {
        var parameters = new List<(string, string?)> { ("state", query?.State), ("limit", query?.PageSize?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageToken", pageToken) };
        parameters.AddRange((query?.Labels ?? new Dictionary<string, string>()).Select(l => ("label", (string?)$"{l.Key}={l.Value}")));
        return _http.SendAsync(HttpMethod.Get, AirlockTransport.Query("v1/sandboxes", [.. parameters]), null, AirlockJson.Default.SandboxPage, ct);
    }

    /// <summary>Every sandbox that matches, page after page as they are needed.</summary>
    public IAsyncEnumerable<Sandbox> ListAsync(SandboxQuery? query = null, CancellationToken ct = default) =>
        PagedList.AllAsync<Sandbox>(async (token, c) => await ListPageAsync(query, token, c).ConfigureAwait(false), ct);

    public Task<Sandbox> StartAsync(string id, CancellationToken ct = default) => ActionAsync(id, "start", ct);

    public Task<Sandbox> StopAsync(string id, CancellationToken ct = default) => ActionAsync(id, "stop", ct);

    /// <summary>Freezes the sandbox: its processes and memory are kept, its quota held, until <see cref="ResumeAsync"/>.</summary>
    public Task<Sandbox> PauseAsync(string id, CancellationToken ct = default) => ActionAsync(id, "pause", ct);

    public Task<Sandbox> ResumeAsync(string id, CancellationToken ct = default) => ActionAsync(id, "resume", ct);

    /// <summary>Ends the sandbox (as its <c>onTimeout</c> says) <paramref name="timeoutSeconds"/> from now.</summary>
    public Task<Sandbox> SetTimeoutAsync(string id, int timeoutSeconds, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, $"v1/sandboxes/{AirlockTransport.Segment(id)}/timeout", AirlockTransport.Json(new TimeoutBody(timeoutSeconds), AirlockJson.Default.TimeoutBody), AirlockJson.Default.Sandbox, ct);

    /// <summary>Replaces an allowlist sandbox's destinations, or changes its network mode.</summary>
    public Task<Sandbox> SetNetworkAsync(string id, SandboxNetwork network, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Put, $"v1/sandboxes/{AirlockTransport.Segment(id)}/network", AirlockTransport.Json(network, AirlockJson.Default.SandboxNetwork), AirlockJson.Default.Sandbox, ct);

    /// <summary>One page of the connections an allowlist sandbox made, oldest first.</summary>
    public Task<EgressRecordPage> ListEgressAsync(string id, int? limit = null, string? pageToken = null, CancellationToken ct = default) =>
        _http.SendAsync(
            HttpMethod.Get,
            AirlockTransport.Query($"v1/sandboxes/{AirlockTransport.Segment(id)}/egress", ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pageToken", pageToken)),
            null,
            AirlockJson.Default.EgressRecordPage,
            ct);

    public Task DeleteAsync(string id, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, $"v1/sandboxes/{AirlockTransport.Segment(id)}", null, ct);

    /// <summary>Runs a command and answers when it ends, with its output (bounded; see <see cref="ExecResult.Truncated"/>).</summary>
    public Task<ExecResult> ExecAsync(string id, ExecBody body, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, $"v1/sandboxes/{AirlockTransport.Segment(id)}/exec", AirlockTransport.Json(body, AirlockJson.Default.ExecBody), AirlockJson.Default.ExecResult, ct);

    /// <summary>
    /// Runs a command and yields its stdout and stderr as they come, then its exit (or an error). Cancelling
    /// <paramref name="ct"/>, or leaving the loop early, hangs up, and the server kills the command.
    /// </summary>
    public async IAsyncEnumerable<ExecEvent> ExecStreamAsync(string id, ExecBody body, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var response = await _http.SendRawAsync(
            HttpMethod.Post, $"v1/sandboxes/{AirlockTransport.Segment(id)}/exec/stream", AirlockTransport.Json(body, AirlockJson.Default.ExecBody), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize(line, AirlockJson.Default.ExecEvent) is { } item)
            {
                yield return item;
            }
        }
    }

    /// <summary>The sandbox's output (stdout and stderr as they came); with <paramref name="follow"/>, until it stops.</summary>
    public async Task<Stream> LogsAsync(string id, bool follow = false, int? tail = null, CancellationToken ct = default)
    {
        var path = AirlockTransport.Query($"v1/sandboxes/{AirlockTransport.Segment(id)}/logs", ("follow", follow ? "true" : "false"), ("tail", tail?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var response = await _http.SendRawAsync(HttpMethod.Get, path, null, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
    }

    /// <summary>Opens an interactive command (with a PTY when <see cref="TerminalStart.Tty"/>) over a WebSocket.</summary>
    public async Task<SandboxTerminal> OpenTerminalAsync(string id, TerminalStart start, CancellationToken ct = default)
    {
        var socket = await _http.ConnectWebSocketAsync($"v1/sandboxes/{AirlockTransport.Segment(id)}/terminal", ct).ConfigureAwait(false);
        var terminal = new SandboxTerminal(socket);
        try
        {
            await terminal.SendAsync(JsonSerializer.SerializeToUtf8Bytes(start, AirlockJson.Default.TerminalStart), System.Net.WebSockets.WebSocketMessageType.Text, ct).ConfigureAwait(false);
            return terminal;
        }
        catch
        {
            terminal.Dispose();
            throw;
        }
    }

    /// <summary>Saves the sandbox's filesystem as an image to create sandboxes from.</summary>
    public Task<Snapshot> SnapshotAsync(string id, string? name = null, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, $"v1/sandboxes/{AirlockTransport.Segment(id)}/snapshots", AirlockTransport.Json(new SnapshotBody(name), AirlockJson.Default.SnapshotBody), AirlockJson.Default.Snapshot, ct);

    /// <summary>Puts the sandbox back to a snapshot of it (its container is made anew from the snapshot's image).</summary>
    public Task<Sandbox> RestoreAsync(string id, string snapshotId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, $"v1/sandboxes/{AirlockTransport.Segment(id)}/restore", AirlockTransport.Json(new RestoreBody(snapshotId), AirlockJson.Default.RestoreBody), AirlockJson.Default.Sandbox, ct);

    private Task<Sandbox> ActionAsync(string id, string action, CancellationToken ct) =>
        _http.SendAsync(HttpMethod.Post, $"v1/sandboxes/{AirlockTransport.Segment(id)}/{action}", null, AirlockJson.Default.Sandbox, ct);
}
