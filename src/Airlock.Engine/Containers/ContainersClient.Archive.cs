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
