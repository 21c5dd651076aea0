using System.Formats.Tar;
using System.IO.Enumeration;
using System.Net;

namespace Airlock.Engine.Images;

/// <summary>Streams a directory as an uncompressed tar while the request is being sent: the context is never held in memory.</summary>
internal sealed class BuildContextContent : HttpContent
{
    private readonly string _directory;

    public BuildContextContent(string directory)
    {
        _directory = directory;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
        var root = Path.GetFullPath(_directory);
        // A link is sent as a link and a linked directory is never entered: the context is what is in the directory,
        // never a host file a link points at.
        var entries = new FileSystemEnumerable<string>(root, (ref FileSystemEntry e) => e.ToFullPath(), new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        {
            ShouldRecursePredicate = (ref FileSystemEntry e) => (e.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        foreach (var path in entries.Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(root, path).Replace('\\', '/');
            await writer.WriteEntryAsync(path, name, cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
