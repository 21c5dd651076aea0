using System.Text;
using Airlock.Engine.Json;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Containers;

public sealed partial class ContainersClient
{
    /// <summary>
    /// Commits the container's filesystem to the image <paramref name="repository"/>:<paramref name="tag"/> and returns
    /// the image's id. <paramref name="labels"/> are set on the image (as LABEL changes, which Docker and podman's compat
    /// endpoint both apply; values must not contain quotes or newlines). Without <paramref name="pause"/> a running
    /// container keeps running while its files are read, so the snapshot is only crash-consistent.
    /// </summary>
    public async Task<string> CommitAsync(
        string id, string repository, string tag, IReadOnlyDictionary<string, string> labels, string? comment = null, bool pause = false, CancellationToken ct = default)
    {
        var q = new QueryString()
            .Add("container", id)
            .Add("repo", repository)
            .Add("tag", tag)
            .Add("comment", comment)
            .Add("pause", pause);
        foreach (var (key, value) in labels)
        {
            if (value.Any(c => c is '"' or '\n' or '\r' or '\\') || key.Any(c => c is '=' or ' ' or '"'))
            {
                throw new ArgumentException($"label {key}={value} cannot be written as a LABEL change", nameof(labels));
            }

            q.Add("changes", $"LABEL {key}=\"{value}\"");
        }

        // An empty JSON config: both engines then keep the container's own config, with the changes applied.
        using var body = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(HttpMethod.Post, _http.Path("/commit") + q, body, $"commit container {id} to {repository}:{tag}", ct);
        var created = await EngineHttp.ReadJsonAsync(response, EngineJsonContext.Default.IdResponse, $"commit container {id}", ct);
        // podman answers the bare hex digest; Docker (and both engines' image inspect) say sha256:HEX.
        return created.Id.Contains(':', StringComparison.Ordinal) ? created.Id : "sha256:" + created.Id;
    }
}
