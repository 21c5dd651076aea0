using System.Net.Http.Headers;

namespace Airlock.Client;

/// <summary>
/// A running sandbox's files: <c>/v1/sandboxes/{id}/files</c>. Paths are absolute paths in the sandbox; the server
/// resolves them inside the sandbox's own filesystem (no way out through <c>..</c> or a link the sandbox made).
/// </summary>
public sealed class FilesClient
{
    private readonly AirlockTransport _http;

    internal FilesClient(AirlockTransport http) => _http = http;

    /// <summary>
    /// Creates or replaces one file from <paramref name="content"/>, streamed (at most 1 GiB). <paramref name="mode"/>
    /// is its permission bits, e.g. <c>0x1ED</c> (0755); 0644 when left out.
    /// </summary>
    public Task<SandboxFile> UploadAsync(string sandboxId, string path, Stream content, int? mode = null, CancellationToken ct = default)
    {
        var body = new StreamContent(content, 81920);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (content.CanSeek)
        {
            body.Headers.ContentLength = content.Length - content.Position;
        }

        var query = AirlockTransport.Query(Root(sandboxId), ("path", path), ("mode", mode is { } m ? Convert.ToString(m, 8) : null));
        return _http.SendAsync(HttpMethod.Put, query, body, AirlockJson.Default.SandboxFile, ct);
    }

    public Task<SandboxFile> UploadAsync(string sandboxId, string path, ReadOnlyMemory<byte> content, int? mode = null, CancellationToken ct = default) =>
        UploadAsync(sandboxId, path, new MemoryStream(content.ToArray(), writable: false), mode, ct);

    /// <summary>One file's bytes, streamed; dispose the stream when done.</summary>
    public async Task<Stream> DownloadAsync(string sandboxId, string path, CancellationToken ct = default)
    {
        var response = await _http.SendRawAsync(HttpMethod.Get, AirlockTransport.Query(Root(sandboxId), ("path", path)), null, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
    }

    /// <summary>Extracts a tar stream into an existing directory of the sandbox.</summary>
    public Task UploadArchiveAsync(string sandboxId, string directory, Stream tar, CancellationToken ct = default)
    {
        var body = new StreamContent(tar, 81920);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return UploadArchiveAsync(sandboxId, directory, body, ct);
    }

    /// <summary>Extracts a tar body (any <see cref="HttpContent"/> that writes one) into an existing directory.</summary>
    public Task UploadArchiveAsync(string sandboxId, string directory, HttpContent tar, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Put, AirlockTransport.Query(Root(sandboxId) + "/archive", ("path", directory)), tar, ct);

    /// <summary>A directory (or file) as a tar stream, its entries named from the path's last part.</summary>
    public async Task<Stream> DownloadArchiveAsync(string sandboxId, string path, CancellationToken ct = default)
    {
        var response = await _http.SendRawAsync(HttpMethod.Get, AirlockTransport.Query(Root(sandboxId) + "/archive", ("path", path)), null, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
    }

    public Task<SandboxFileList> ListAsync(string sandboxId, string directory, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, AirlockTransport.Query(Root(sandboxId) + "/list", ("path", directory)), null, AirlockJson.Default.SandboxFileList, ct);

    /// <summary>Describes one path (a link itself, with where it points).</summary>
    public Task<SandboxFile> StatAsync(string sandboxId, string path, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, AirlockTransport.Query(Root(sandboxId) + "/stat", ("path", path)), null, AirlockJson.Default.SandboxFile, ct);

    /// <summary>What is at <paramref name="path"/>, or null when nothing is.</summary>
    public async Task<SandboxFile?> TryStatAsync(string sandboxId, string path, CancellationToken ct = default)
    {
        try
        {
            return await StatAsync(sandboxId, path, ct).ConfigureAwait(false);
        }
        // A missing sandbox is a 404 too; only the path's own is "nothing there".
        catch (AirlockApiException ex) when (ex.Status == 404 && ex.Detail.StartsWith("query.path:", StringComparison.Ordinal))
        {
            return null;
        }
    }

    public Task<SandboxFile> MakeDirectoryAsync(string sandboxId, string path, bool parents = false, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Root(sandboxId) + "/mkdir", AirlockTransport.Json(new MkdirBody(path, parents), AirlockJson.Default.MkdirBody), AirlockJson.Default.SandboxFile, ct);

    /// <summary>Renames a file or directory; <paramref name="to"/> is the new path itself.</summary>
    public Task<SandboxFile> MoveAsync(string sandboxId, string from, string to, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Post, Root(sandboxId) + "/move", AirlockTransport.Json(new MoveBody(from, to), AirlockJson.Default.MoveBody), AirlockJson.Default.SandboxFile, ct);

    /// <summary>Deletes a file, link or empty directory; with <paramref name="recursive"/>, a directory and all in it.</summary>
    public Task DeleteAsync(string sandboxId, string path, bool recursive = false, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, AirlockTransport.Query(Root(sandboxId), ("path", path), ("recursive", recursive ? "true" : null)), null, ct);

    private static string Root(string sandboxId) => $"v1/sandboxes/{AirlockTransport.Segment(sandboxId)}/files";
}
