using System.Formats.Tar;
using Airlock.Engine;

namespace Airlock.Launcher.Namespaces;

/// <summary>Copies an image's /home/airlock into a namespace's home dir on the host, through a created (never started) container.</summary>
public static class HomeSeeder
{
    public const string ContainerHome = "/home/airlock";

    public static async Task SeedAsync(EngineClient engine, string image, string homeDir, CancellationToken ct)
    {
        await ImageFiles.WithContainerAsync(engine, image, async id =>
        {
            Directory.CreateDirectory(homeDir);
            await using var tar = await engine.Containers.GetArchiveAsync(id, ContainerHome, ct);
            await ExtractStrippingRootAsync(tar, homeDir, ct);
            return true;
        }, ct);
    }

    /// <summary>Extracts entries below the archive's top directory; links or paths that would leave the target are refused.</summary>
    private static async Task ExtractStrippingRootAsync(Stream tar, string target, CancellationToken ct)
    {
        var root = Path.GetFullPath(target);
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            var parts = entry.Name.TrimStart('/').Split('/', 2);
            if (parts.Length < 2 || parts[1].Length == 0)
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(root, parts[1]));
            if (!path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                continue;
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await entry.ExtractToFileAsync(path, overwrite: true, ct);
                    break;
                case TarEntryType.SymbolicLink when entry.LinkName is { Length: > 0 } link:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    if (File.Exists(path) || Directory.Exists(path))
                    {
                        File.Delete(path);
                    }

                    File.CreateSymbolicLink(path, link);
                    break;
            }
        }
    }
}
