using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Airlock.Engine.Errors;
using Airlock.Engine.Json;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Containers;

public sealed partial class ContainersClient
{
    /// <summary>
    /// Streams a path of the container's filesystem as a tar archive (the container need not be running). The archive's
    /// entries are rooted at the path's last component, e.g. <c>airlock/.bashrc</c> for <c>/home/airlock</c>.
    /// </summary>
    public async Task<Stream> GetArchiveAsync(string id, string path, CancellationToken ct = default)
    {
        var response = await _http.SendAsync(
            HttpMethod.Get,
            _http.Path($"/containers/{Uri.EscapeDataString(id)}/archive") + new QueryString().Add("path", path),
            null,
            $"copy {path} out of container {id}",
            ct,
            streamResponse: true);
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>
    /// Extracts a tar stream into <paramref name="path"/>, a directory of the container's filesystem; the engine resolves
    /// the path and writes the entries within the container's root. A directory never replaces a file there, nor a file a
    /// directory (<c>noOverwriteDirNonDir</c>). The body is sent as it is read (chunked), never held whole. Docker answers
    /// 404 for a missing <paramref name="path"/>; podman makes it: callers that care check first (<see cref="StatPathAsync"/>).
    /// </summary>
    public async Task PutArchiveAsync(string id, string path, Stream tar, CancellationToken ct = default)
    {
        using var content = new StreamContent(tar, 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await _http.SendAsync(
            HttpMethod.Put,
            _http.Path($"/containers/{Uri.EscapeDataString(id)}/archive") + new QueryString().Add("path", path).Add("noOverwriteDirNonDir", "true"),
            content,
            $"copy into {path} of container {id}",
            ct);
    }

    /// <summary>
    /// What is at <paramref name="path"/> in the container (<c>HEAD /containers/{id}/archive</c>), without following a
    /// link at the path itself; null when nothing is there. podman answers 404 for a link whose target is missing, but
    /// still sends the link's stat, which is returned.
    /// </summary>
    public async Task<ContainerPathStat?> StatPathAsync(string id, string path, CancellationToken ct = default)
    {
        var operation = $"stat {path} in container {id}";
        using var response = await _http.SendUncheckedAsync(
            HttpMethod.Head, _http.Path($"/containers/{Uri.EscapeDataString(id)}/archive") + new QueryString().Add("path", path), ct);
        var stat = response.Headers.TryGetValues("X-Docker-Container-Path-Stat", out var values) ? Decode(values.FirstOrDefault(), operation) : null;
        if (response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.NotFound && stat is not null))
        {
            return stat ?? throw new EngineException($"{operation}: the engine answered without a path stat");
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // A HEAD answer has no body: a missing container and a missing path look the same, so ask which.
            _ = await InspectAsync(id, ct);
            return null;
        }

        throw EngineErrorMapper.FromResponse(response.StatusCode, "", operation);
    }

    private static ContainerPathStat? Decode(string? header, string operation)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(header)), EngineJsonContext.Default.ContainerPathStat);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new EngineException($"{operation}: the engine's path stat header is not base64 JSON ({ex.Message})");
        }
    }

    /// <summary>A response body that disposes its response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
