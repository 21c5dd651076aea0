using System.Formats.Tar;
using System.Text;

namespace Airlock.Server.Tests.Files;

/// <summary>Small tars made in memory for the tests, hostile ones included; and reading one back.</summary>
public static class Tars
{
    public static byte[] Build(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    public static void File(this TarWriter writer, string name, string text, UnixFileMode mode = (UnixFileMode)0x1A4, int uid = 0)
    {
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = mode, Uid = uid, Gid = uid });
    }

    public static void Dir(this TarWriter writer, string name) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ED });

    public static void Link(this TarWriter writer, string name, string target, TarEntryType type = TarEntryType.SymbolicLink) =>
        writer.WriteEntry(new PaxTarEntry(type, name) { LinkName = target });

    /// <summary>Every entry: name, then the file's text, "dir", or "-> target".</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(Stream tar, CancellationToken ct)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            var name = entry.Name.TrimEnd('/');
            found[name] = entry.EntryType switch
            {
                TarEntryType.Directory => "dir",
                TarEntryType.SymbolicLink => "-> " + entry.LinkName,
                _ when entry.DataStream is { } data => await new StreamReader(data).ReadToEndAsync(ct),
                _ => "",
            };
        }

        return found;
    }
}
