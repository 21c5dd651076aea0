using System.Formats.Tar;
using System.Net;

namespace Airlock.Cli.Remote;

/// <summary>
/// A local directory as a tar request body, written as it is sent (never held): with its own name as the entries'
/// root, or its contents only. Links in it are sent as links, not followed.
/// </summary>
public sealed class DirectoryTarContent : HttpContent
{
    private readonly string _directory;
    private readonly bool _includeBase;

    public DirectoryTarContent(string directory, bool includeBase)
    {
        _directory = directory;
        _includeBase = includeBase;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        TarFile.CreateFromDirectoryAsync(_directory, stream, _includeBase, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
