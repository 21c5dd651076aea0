using System.Globalization;
using Airlock.Engine.Errors;
using Airlock.Engine.Json;
using Airlock.Engine.Streams;
using Airlock.Engine.Identity;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Containers;

/// <summary>Container operations of the Engine API.</summary>
public sealed partial class ContainersClient
{
    private readonly EngineHttp _http;
    private readonly Func<EngineIdentity> _identity;
    private readonly PodmanRuntimeService _runtimes;

    internal ContainersClient(EngineHttp http, Func<EngineIdentity> identity, PodmanRuntimeService? runtimes = null)
    {
        _http = http;
        _identity = identity;
        _runtimes = runtimes ?? new PodmanRuntimeService();
    }

    private EngineKind Kind => _identity().Kind;

    /// <summary>Creates a container and returns its id.</summary>
    public async Task<string> CreateAsync(ContainerCreateOptions options, CancellationToken ct = default)
    {
        var path = _http.Path("/containers/create") + new QueryString().Add("name", options.Name);
        var kind = Kind;
        using var profile = options.SeccompProfile is { } json && kind == EngineKind.Podman
            ? SeccompProfileFile.Write(json, options.SeccompProfileDirectory)
            : null;
        var body = ContainerCreateBody.From(options, kind, profile?.Path);
        if (kind == EngineKind.Podman && options.Runtime is { } runtime)
        {
            return await CreateOnPodmanUnderAsync(runtime, path, body, options.Image, ct);
        }

        var created = await _http.PostJsonAsync(
            path, body, EngineJsonContext.Default.ContainerCreateBody, EngineJsonContext.Default.IdResponse, $"create container from {options.Image}", ct);
        return created.Id;
    }

    /// <summary>
    /// podman's create under a runtime it would otherwise ignore: through <see cref="PodmanRuntimeService"/>, then checked
    /// on the engine itself, so a container never runs under another runtime than the one asked for.
    /// </summary>
    private async Task<string> CreateOnPodmanUnderAsync(string runtime, string path, ContainerCreateBody body, string image, CancellationToken ct)
    {
        var endpoint = await _runtimes.EndpointAsync(runtime, _http.Endpoint, _identity().Rootless, ct);
        using var http = _http.For(endpoint);
        var created = await http.PostJsonAsync(
            path, body, EngineJsonContext.Default.ContainerCreateBody, EngineJsonContext.Default.IdResponse, $"create container from {image} under the runtime {runtime}", ct);
        var actual = await RuntimeOfAsync(created.Id, ct);
        if (actual != runtime)
        {
            await RemoveIfExistsAsync(created.Id, CancellationToken.None);
            throw new EngineException(
                $"podman created the container under the OCI runtime '{actual}', not '{runtime}' (removed): the podman service at {endpoint} does not share the storage of {_http.Endpoint}, or does not know '{runtime}'");
        }

        return created.Id;
    }

    /// <summary>The OCI runtime a container runs under: podman's own <c>OCIRuntime</c> (its compat inspect says "oci"), Docker's <c>HostConfig.Runtime</c>.</summary>
    public async Task<string?> RuntimeOfAsync(string id, CancellationToken ct = default)
    {
        if (Kind == EngineKind.Podman)
        {
            var libpod = await _http.GetJsonAsync(
                $"/v4.0.0/libpod/containers/{Esc(id)}/json", EngineJsonContext.Default.LibpodContainerDetails, $"inspect container {id}", ct);
            return libpod.OCIRuntime;
        }

        return (await InspectAsync(id, ct)).HostConfig.Runtime;
    }

    public Task StartAsync(string id, CancellationToken ct = default) =>
        IgnoreNotModified(_http.SendAsync(HttpMethod.Post, _http.Path($"/containers/{Esc(id)}/start"), $"start container {id}", ct));

    /// <summary>Stops with SIGTERM, then SIGKILL after <paramref name="timeout"/> (the engine's default when null).</summary>
    public Task StopAsync(string id, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var q = new QueryString().Add("t", timeout is { } t ? ((int)t.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null);
        return IgnoreNotModified(_http.SendAsync(HttpMethod.Post, _http.Path($"/containers/{Esc(id)}/stop") + q, $"stop container {id}", ct));
    }

    /// <summary>Freezes every process of the container (the cgroup freezer): memory is kept, nothing runs until unpaused.</summary>
    public Task PauseAsync(string id, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, _http.Path($"/containers/{Esc(id)}/pause"), $"pause container {id}", ct);

    public Task UnpauseAsync(string id, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, _http.Path($"/containers/{Esc(id)}/unpause"), $"unpause container {id}", ct);

    public Task KillAsync(string id, string signal = "KILL", CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, _http.Path($"/containers/{Esc(id)}/kill") + new QueryString().Add("signal", signal), $"kill container {id}", ct);

    public Task RemoveAsync(string id, bool force = false, bool removeVolumes = true, CancellationToken ct = default) =>
        _http.SendAsync(
            HttpMethod.Delete,
            _http.Path($"/containers/{Esc(id)}") + new QueryString().Add("force", force).Add("v", removeVolumes),
            $"remove container {id}",
            ct);

    /// <summary>
    /// Asks the engine to remove a container (forced, with its anonymous volumes) and returns once the request is sent,
    /// without waiting for the removal. For a container whose process has ended and whose exit code is known: podman
    /// spends ~200 ms on a removal (network teardown), which nobody needs to wait for. Use <see cref="RemoveIfExistsAsync"/>
    /// where the container must be gone before going on.
    /// </summary>
    public Task RemoveDetachedAsync(string id, CancellationToken ct = default) =>
        _http.SendDetachedAsync(HttpMethod.Delete, _http.Path($"/containers/{Esc(id)}") + new QueryString().Add("force", true).Add("v", true), ct);

    /// <summary>Removes a container if it exists; true when something was removed.</summary>
    public async Task<bool> RemoveIfExistsAsync(string id, CancellationToken ct = default)
    {
        try
        {
            await RemoveAsync(id, force: true, ct: ct);
            return true;
        }
        catch (EngineNotFoundException)
        {
            return false;
        }
    }

    public Task<ContainerDetails> InspectAsync(string id, CancellationToken ct = default) =>
        _http.GetJsonAsync(_http.Path($"/containers/{Esc(id)}/json"), EngineJsonContext.Default.ContainerDetails, $"inspect container {id}", ct);

    public async Task<ContainerDetails?> TryInspectAsync(string id, CancellationToken ct = default)
    {
        try
        {
            return await InspectAsync(id, ct);
        }
        catch (EngineNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Lists containers, stopped ones included unless <paramref name="all"/> is false. Labels are <c>key</c> or <c>key=value</c>.</summary>
    public Task<List<ContainerSummary>> ListAsync(IEnumerable<string>? labels = null, bool all = true, CancellationToken ct = default)
    {
        var q = new QueryString().Add("all", all).Add("filters", Filters.Encode(("label", labels)));
        return _http.GetJsonAsync(_http.Path("/containers/json") + q, EngineJsonContext.Default.ListContainerSummary, "list containers", ct);
    }

    /// <summary>Waits until the container stops and returns its exit code.</summary>
    public async Task<int> WaitAsync(string id, CancellationToken ct = default)
    {
        if (Kind == EngineKind.Podman)
        {
            // podman's compat wait polls every 250 ms; its own API lets us poll faster, which is most of a short run's cost.
            var libpod = $"/v4.0.0/libpod/containers/{Esc(id)}/wait" + new QueryString().Add("condition", "stopped").Add("interval", "10ms");
            using var response = await _http.SendAsync(HttpMethod.Post, libpod, null, $"wait for container {id}", ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (int.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var code))
            {
                return code;
            }

            throw new EngineException($"wait for container {id}: podman answered '{text.Trim()}' instead of an exit code");
        }

        var wait = await PostForJsonAsync(_http.Path($"/containers/{Esc(id)}/wait") + new QueryString().Add("condition", "not-running"), $"wait for container {id}", ct);
        if (wait.Error?.Message is { Length: > 0 } message)
        {
            throw new EngineException($"wait for container {id}: {message}");
        }

        return (int)wait.StatusCode;
    }

    private async Task<WaitResponse> PostForJsonAsync(string path, string operation, CancellationToken ct)
    {
        using var response = await _http.SendAsync(HttpMethod.Post, path, null, operation, ct);
        return await EngineHttp.ReadJsonAsync(response, EngineJsonContext.Default.WaitResponse, operation, ct);
    }

    /// <summary>
    /// Attaches to the container's stdio. Attach before start to see all output; with <paramref name="stdin"/> the
    /// container must have been created with <see cref="ContainerCreateOptions.OpenStdin"/>.
    /// </summary>
    public async Task<ProcessStream> AttachAsync(string id, bool stdin, bool tty, CancellationToken ct = default)
    {
        var q = new QueryString().Add("stream", true).Add("stdin", stdin).Add("stdout", true).Add("stderr", true);
        var stream = await _http.HijackAsync(_http.Path($"/containers/{Esc(id)}/attach") + q, null, $"attach to container {id}", ct);
        return new ProcessStream(stream, tty);
    }

    /// <summary>Sets the TTY size of the container's main process.</summary>
    public Task ResizeAsync(string id, int columns, int rows, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, _http.Path($"/containers/{Esc(id)}/resize") + SizeQuery(columns, rows), $"resize container {id}", ct);

    /// <summary>Streams the container's log, demultiplexed unless it has a TTY; with follow, until the container stops.</summary>
    public async IAsyncEnumerable<OutputChunk> LogsAsync(string id, LogsOptions options, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var details = await InspectAsync(id, ct);
        var q = new QueryString()
            .Add("follow", options.Follow)
            .Add("stdout", options.Stdout)
            .Add("stderr", options.Stderr)
            .Add("timestamps", options.Timestamps)
            .Add("since", options.Since is { } s ? s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : null)
            .Add("tail", options.Tail is { } t ? t.ToString(CultureInfo.InvariantCulture) : null);
        using var response = await _http.SendAsync(HttpMethod.Get, _http.Path($"/containers/{Esc(id)}/logs") + q, null, $"read logs of container {id}", ct, streamResponse: true);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var chunks = details.Config.Tty ? MultiplexedStreamReader.ReadRawAsync(stream, ct) : MultiplexedStreamReader.ReadAsync(stream, ct);
        await foreach (var chunk in chunks)
        {
            yield return chunk;
        }
    }

    /// <summary>One resource sample (memory, CPU, pids) without streaming.</summary>
    public Task<ContainerStats> StatsAsync(string id, CancellationToken ct = default) =>
        _http.GetJsonAsync(
            _http.Path($"/containers/{Esc(id)}/stats") + new QueryString().Add("stream", false).Add("one-shot", true),
            EngineJsonContext.Default.ContainerStats,
            $"read stats of container {id}",
            ct);

    internal static string SizeQuery(int columns, int rows) =>
        new QueryString().Add("h", rows.ToString(CultureInfo.InvariantCulture)).Add("w", columns.ToString(CultureInfo.InvariantCulture)).ToString();

    private static string Esc(string id) => Uri.EscapeDataString(id);

    /// <summary>Start and stop answer 304 when the container is already in that state: the caller got what it asked for.</summary>
    private static async Task IgnoreNotModified(Task task)
    {
        try
        {
            await task;
        }
        catch (EngineException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotModified)
        {
            // Already started or stopped.
        }
    }
}
