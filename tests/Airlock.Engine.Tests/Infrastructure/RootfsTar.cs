using System.Formats.Tar;
using System.Text;

namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>Builds a minimal root filesystem tarball in memory, for image imports.</summary>
public static class RootfsTar
{
    /// <summary>The given files with their directories, nothing else (no shell: such an image cannot run anything).</summary>
    public static MemoryStream Create(params (string Path, string Content)[] files)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in files.Select(f => Path.GetDirectoryName(f.Path)!).Where(d => d.Length > 0).Distinct())
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            }

            foreach (var (path, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    Mode = (UnixFileMode)Convert.ToInt32("644", 8),
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                });
            }
        }

        stream.Position = 0;
        return stream;
    }
}
