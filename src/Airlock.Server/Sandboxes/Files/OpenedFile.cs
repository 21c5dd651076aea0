using System.Formats.Tar;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>A regular file of a sandbox being read: its entry of the engine's tar, with the reader and stream under it.</summary>
internal sealed class OpenedFile(Stream tar, TarReader reader, TarEntry entry) : IAsyncDisposable
{
    public TarEntry Entry { get; } = entry;

    public async ValueTask DisposeAsync()
    {
        await reader.DisposeAsync();
        await tar.DisposeAsync();
    }
}
