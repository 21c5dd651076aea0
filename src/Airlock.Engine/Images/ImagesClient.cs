using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Airlock.Engine.Errors;
using Airlock.Engine.Identity;
using Airlock.Engine.Json;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Images;

/// <summary>Image operations of the Engine API.</summary>
public sealed partial class ImagesClient
{
    private readonly EngineHttp _http;
    private readonly Func<EngineKind> _kind;

    internal ImagesClient(EngineHttp http, Func<EngineKind> kind)
    {
        _http = http;
        _kind = kind;
    }

    public async Task<ImageDetails> InspectAsync(string name, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _http.GetJsonAsync(_http.Path($"/images/{name}/json"), EngineJsonContext.Default.ImageDetails, $"inspect image {name}", ct);
            }
            catch (EngineException ex) when (attempt < 4 && IsPodmanStorageRace(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }

    /// <summary>
    /// podman 4.3 answers an inspect with a 500 ("... locating image with ID ...: image not known") when another image is
    /// removed at the same moment and its storage list is read half-way; asked again, it answers right (seen in the tests).
    /// </summary>
    private bool IsPodmanStorageRace(EngineException ex) =>
        ex is not EngineNotFoundException && _kind() == EngineKind.Podman && ex.Message.Contains("image not known", StringComparison.Ordinal);

    public async Task<ImageDetails?> TryInspectAsync(string name, CancellationToken ct = default)
    {
        try
        {
            return await InspectAsync(name, ct);
        }
        catch (EngineNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken ct = default) => await TryInspectAsync(name, ct) is not null;

    /// <summary>Lists images; labels are <c>key</c> or <c>key=value</c>, reference a name pattern such as <c>localhost/airlock*</c>.</summary>
    public async Task<List<ImageSummary>> ListAsync(IEnumerable<string>? labels = null, string? reference = null, CancellationToken ct = default)
    {
        var q = new QueryString().Add("filters", Filters.Encode(("label", labels), ("reference", reference is null ? null : [reference])));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _http.GetJsonAsync(_http.Path("/images/json") + q, EngineJsonContext.Default.ListImageSummary, "list images", ct);
            }
            catch (EngineException ex) when (attempt < 3 && ex.StatusCode == System.Net.HttpStatusCode.InternalServerError)
            {
                // podman 4 lists image ids, then reads each one: an image removed in between (by anyone) fails the whole
                // list with a 500 ("image not known", "size is not known", "locating item named manifest"). A list is
                // safe to repeat, and the repeat no longer includes the removed image.
            }
        }
    }

    public async Task RemoveAsync(string name, bool force = false, CancellationToken ct = default)
    {
        var path = _http.Path($"/images/{name}") + new QueryString().Add("force", force);
        var pause = TimeSpan.FromMilliseconds(20);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var _ = await _http.SendAsync(HttpMethod.Delete, path, null, $"remove image {name}", ct);
                return;
            }
            catch (EngineException ex) when (_kind() == EngineKind.Podman && IsContainerStillLeaving(ex) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(pause, ct);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
            }
        }
    }

    /// <summary>
    /// podman drops a container from its database before it has finished deleting the container's storage; removing the
    /// image in that window fails with "container ... using image could not be removed: ... does not exist in database".
    /// That container is on its way out (a removal was sent and not waited for), so the removal is repeated briefly.
    /// </summary>
    private static bool IsContainerStillLeaving(EngineException ex) =>
        ex is not EngineNotFoundException
        && ex.EngineMessage is { } m
        && m.Contains("using image could not be removed", StringComparison.Ordinal)
        && m.Contains("does not exist in database", StringComparison.Ordinal);

    public async Task<bool> RemoveIfExistsAsync(string name, bool force = false, CancellationToken ct = default)
    {
        try
        {
            await RemoveAsync(name, force, ct);
            return true;
        }
        catch (EngineNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Gives an image another name, e.g. to keep the previous build as <c>:previous</c>.</summary>
    public Task TagAsync(string source, string repository, string tag, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, _http.Path($"/images/{source}/tag") + new QueryString().Add("repo", repository).Add("tag", tag), $"tag image {source} as {repository}:{tag}", ct);

    /// <summary>Creates an image from a root filesystem tarball (as <c>docker import -</c> does) and returns its id.</summary>
    public async Task<string> ImportAsync(Stream rootfsTar, string repository, string tag, CancellationToken ct = default)
    {
        // podman's compat import ignores the tag (everything becomes :latest); its own import endpoint honours it.
        var path = _kind() == EngineKind.Podman
            ? "/v4.0.0/libpod/images/import" + new QueryString().Add("reference", $"{repository}:{tag}")
            : _http.Path("/images/create") + new QueryString().Add("fromSrc", "-").Add("repo", repository).Add("tag", tag);
        using var content = new StreamContent(rootfsTar);
        content.Headers.ContentType = new("application/x-tar");
        using var response = await _http.SendAsync(HttpMethod.Post, path, content, $"import image {repository}:{tag}", ct, streamResponse: true);
        await foreach (var message in ReadMessagesAsync(response, ct))
        {
            if (message.Error is { } error)
            {
                throw new EngineException($"import image {repository}:{tag}: {error}", null, error);
            }
        }

        var image = await InspectAsync($"{repository}:{tag}", ct);
        return image.Id;
    }

    /// <summary>
    /// Pulls an image, reporting each status line. A registry that cannot be reached fails with
    /// <see cref="RegistryUnreachableException"/>; a pull that gives no sign of life for <paramref name="stallTimeout"/> is abandoned.
    /// </summary>
    public async Task PullAsync(string image, IProgress<PullProgress>? progress = null, TimeSpan? stallTimeout = null, CancellationToken ct = default)
    {
        var (repository, tag) = SplitReference(image);
        var q = new QueryString().Add("fromImage", repository).Add("tag", tag);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timeout = stallTimeout ?? TimeSpan.FromSeconds(60);
        stall.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(HttpMethod.Post, _http.Path("/images/create") + q, null, $"pull image {image}", stall.Token, streamResponse: true);
            await foreach (var message in ReadMessagesAsync(response, stall.Token))
            {
                stall.CancelAfter(timeout);
                if (message.Error is { } error)
                {
                    throw EngineErrorMapper.IsRegistryUnreachable(error) ? new RegistryUnreachableException(image, error) : new EngineException($"pull image {image}: {error}", null, error);
                }

                if (message.Status is { } status)
                {
                    progress?.Report(new PullProgress(message.Id, status, message.Progress));
                }
            }
        }
        catch (EngineException ex) when (ex is not RegistryUnreachableException && ex.EngineMessage is { } m && EngineErrorMapper.IsRegistryUnreachable(m))
        {
            throw new RegistryUnreachableException(image, m);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new RegistryUnreachableException(image, $"no progress for {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Builds an image from a directory, reporting every output line with the current step. A failing step raises
    /// <see cref="ImageBuildFailedException"/> with that step and what it printed. Returns the new image's id.
    /// </summary>
    public async Task<string> BuildAsync(BuildOptions options, IProgress<BuildProgress>? progress = null, CancellationToken ct = default)
    {
        if (!Directory.Exists(options.ContextDirectory))
        {
            throw new DirectoryNotFoundException($"build context {options.ContextDirectory} does not exist");
        }

        var q = new QueryString()
            .Add("t", options.Tag)
            .Add("dockerfile", options.Dockerfile)
            .Add("rm", true)
            .Add("forcerm", true)
            .Add("nocache", options.NoCache)
            .Add("pull", options.Pull)
            .Add("buildargs", options.BuildArgs.Count == 0 ? null : JsonSerializer.Serialize(options.BuildArgs.ToDictionary(), EngineJsonContext.Default.DictionaryStringString))
            .Add("labels", options.Labels.Count == 0 ? null : JsonSerializer.Serialize(options.Labels.ToDictionary(), EngineJsonContext.Default.DictionaryStringString));
        using var content = new BuildContextContent(options.ContextDirectory);
        using var response = await _http.SendAsync(HttpMethod.Post, _http.Path("/build") + q, content, $"build image {options.Tag}", ct, streamResponse: true);

        var tracker = new BuildStepTracker();
        string? imageId = null;
        await foreach (var message in ReadMessagesAsync(response, ct))
        {
            if (message.Error is { } error)
            {
                await RemoveDanglingAsync(tracker.LayerIds, ct);
                throw new ImageBuildFailedException(tracker.Instruction, (message.ErrorDetail?.Message ?? error).Trim(), tracker.StepOutput);
            }

            if (message.Aux?.ID is { } id)
            {
                imageId = id;
            }

            foreach (var line in (message.Stream ?? message.Status ?? "").Split('\n'))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                tracker.Observe(line);
                progress?.Report(new BuildProgress(tracker.Step, tracker.TotalSteps, tracker.Instruction, line));
            }
        }

        // podman's compat build reports the id only in text ("Successfully built abc"); inspecting the tag works for both.
        return imageId ?? (await InspectAsync(options.Tag, ct)).Id;
    }

    /// <summary>
    /// A failed build leaves its finished steps behind as untagged images. They are removed (newest first, so parents
    /// free up) unless something else uses them; tagged images, such as the FROM image, are never touched.
    /// </summary>
    private async Task RemoveDanglingAsync(IReadOnlyList<string> layerIds, CancellationToken ct)
    {
        foreach (var id in layerIds.Reverse())
        {
            if (await TryInspectAsync(id, ct) is { RepoTags: null or { Count: 0 } })
            {
                try
                {
                    await RemoveAsync(id, force: false, ct);
                }
                catch (EngineException)
                {
                    // In use by a container or a child image: it is not ours alone to remove.
                }
            }
        }
    }

    private static async IAsyncEnumerable<JsonMessage> ReadMessagesAsync(HttpResponseMessage response, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            // Some engines put several JSON objects on one line; split on the boundary between them.
            foreach (var part in SplitObjects(line))
            {
                JsonMessage? message;
                try
                {
                    message = JsonSerializer.Deserialize(part, EngineJsonContext.Default.JsonMessage);
                }
                catch (JsonException)
                {
                    message = new JsonMessage { Stream = part };
                }

                if (message is not null)
                {
                    yield return message;
                }
            }
        }
    }

    private static IEnumerable<string> SplitObjects(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            yield break;
        }

        foreach (var part in ObjectBoundary().Split(trimmed))
        {
            yield return part;
        }
    }

    [GeneratedRegex(@"(?<=\})\s*(?=\{)")]
    private static partial Regex ObjectBoundary();

    internal static (string Repository, string Tag) SplitReference(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (image[..at], image[(at + 1)..]);
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>Follows <c>Step 2/5 : RUN ...</c> (Docker) and <c>STEP 2/5: RUN ...</c> (podman) lines.</summary>
    internal sealed partial class BuildStepTracker
    {
        private readonly System.Text.StringBuilder _output = new();

        public int Step { get; private set; }
        public int TotalSteps { get; private set; }
        public string? Instruction { get; private set; }
        public string StepOutput => _output.ToString().TrimEnd();

        /// <summary>The image id of each finished step, in order (Docker's <c> ---> id</c>, podman's <c>--> id</c>).</summary>
        public List<string> LayerIds { get; } = [];

        public void Observe(string line)
        {
            var layer = LayerLine().Match(line);
            if (layer.Success)
            {
                LayerIds.Add(layer.Groups[1].Value);
                return;
            }

            if (NoiseLine().IsMatch(line))
            {
                return;
            }

            var m = StepLine().Match(line);
            if (m.Success)
            {
                Step = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                TotalSteps = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                Instruction = m.Groups[3].Value.Trim();
                _output.Clear();
                return;
            }

            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }

        // podman prefixes the steps of a multi-stage build with the stage: "[2/2] STEP 1/3: FROM ...".
        [GeneratedRegex(@"^(?:\[\d+/\d+\] )?(?:Step|STEP) (\d+)/(\d+)\s?: ?(.*)$")]
        private static partial Regex StepLine();

        // Docker shortens ids to 12 hex digits, podman (buildah) to 11: "--> d8eea7a4fbd".
        [GeneratedRegex(@"^\s*-{2,3}>\s*([0-9a-f]{11,64})\s*$")]
        private static partial Regex LayerLine();

        /// <summary>Docker's bookkeeping lines, which say nothing about why a step failed.</summary>
        [GeneratedRegex(@"^\s*(---> Running in [0-9a-f]+|Removing intermediate container [0-9a-f]+|---> Using cache)\s*$")]
        private static partial Regex NoiseLine();
    }
}
