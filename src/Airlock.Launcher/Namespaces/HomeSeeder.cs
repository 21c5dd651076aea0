using System.Formats.Tar;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Namespaces;

/// <summary>Copies an image's /home/airlock into a namespace's home dir on the host, through a created (never started) container.</summary>
public static class HomeSeeder
{
    public const string ContainerHome = "/home/airlock";

    public static async Task SeedAsync(ISandboxRuntime runtime, string image, string homeDir, CancellationToken ct)
    {
        await ImageFiles.WithContainerAsync(runtime, image, async id =>
        {
            Directory.CreateDirectory(homeDir);
            await using var tar = await runtime.ReadArchiveAsync(id, ContainerHome, ct);
            await ExtractStrippingRootAsync(tar, homeDir, ct);
            return true;
        }, ct);
    }

    /// <summary>
    /// Extracts entries below the archive's top directory, through <see cref="ConfinedDirectory"/>: an entry whose path
    /// would leave the target or pass through a link made by an earlier entry is skipped, links are made as links (never
    /// followed), and no file keeps a setuid, setgid or sticky bit.
    /// </summary>
    private static async Task ExtractStrippingRootAsync(Stream tar, string target, CancellationToken ct)
    {
        var home = new ConfinedDirectory(target, "the namespace home being seeded");
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            var parts = entry.Name.TrimStart('/').Split('/', 2);
            if (parts.Length < 2 || parts[1].TrimEnd('/') is not { Length: > 0 } relative || relative.Split('/').Any(p => p is "" or "." or ".."))
            {
                continue;
            }

            try
            {
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        home.CreateDirectory(relative);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        var data = entry.DataStream;
                        home.WriteFile(relative, entry.Mode & PermissionBits, output => data?.CopyTo(output), keepExistingMode: false);
                        break;
                    case TarEntryType.SymbolicLink when entry.LinkName is { Length: > 0 } link:
                        home.CreateSymbolicLink(relative, link);
                        break;
                }
            }
            catch (UnsafePathException)
            {
                // Only an archive crafted to write through its own links gets here; what it aimed at stays untouched.
            }
        }
    }

    private const UnixFileMode PermissionBits = (UnixFileMode)0x1FF;
}
