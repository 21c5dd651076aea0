using System.Formats.Tar;
using System.Text;
using Airlock.Cli.Remote;
using Airlock.Sandboxes.Files;

namespace Airlock.Cli.Tests;

/// <summary>
/// What <c>airlock sandbox cp</c> does with a tar from a sandbox on the host: whatever a hostile sandbox (or server) puts
/// in it, nothing lands outside the destination, nothing is written through a link, and no setuid file or device is made.
/// </summary>
public sealed class HostArchiveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("airlock-host-archive-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_tree_is_written_under_its_root_or_the_name_given()
    {
        var tar = Build(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "d/") { Mode = (UnixFileMode)0x1ED });
            File(w, "d/a.txt", "alpha");
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "d/to-a") { LinkName = "a.txt" });
        });

        HostArchive.Extract(new MemoryStream(tar), _dir, null).ShouldBe(3);
        System.IO.File.ReadAllText(Path.Combine(_dir, "d", "a.txt")).ShouldBe("alpha");
        new FileInfo(Path.Combine(_dir, "d", "to-a")).LinkTarget.ShouldBe("a.txt");
        HostArchive.Extract(new MemoryStream(tar), _dir, "renamed");
        System.IO.File.ReadAllText(Path.Combine(_dir, "renamed", "a.txt")).ShouldBe("alpha");
    }

    [Fact]
    public void A_link_entry_then_a_file_through_it_is_refused_and_nothing_lands_where_the_link_points()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        var dest = Directory.CreateDirectory(Path.Combine(_dir, "dest")).FullName;
        var tar = Build(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "d/"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "d/escape") { LinkName = outside });
            File(w, "d/escape/planted", "pwned");
        });

        Should.Throw<UnsafePathException>(() => HostArchive.Extract(new MemoryStream(tar), dest, null));
        Directory.GetFileSystemEntries(outside).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../escaped", "'..'")]
    [InlineData("d/../../escaped", "'..'")]
    [InlineData("/tmp/escaped-absolute", "absolute")]
    public void Entries_that_climb_out_are_refused(string name, string why)
    {
        var dest = Directory.CreateDirectory(Path.Combine(_dir, "dest")).FullName;
        var refused = Should.Throw<UnsafePathException>(() => HostArchive.Extract(new MemoryStream(Build(w => File(w, name, "x"))), dest, null));
        refused.Message.ShouldContain(why);
        System.IO.File.Exists(Path.Combine(_dir, "escaped")).ShouldBeFalse();
        System.IO.File.Exists("/tmp/escaped-absolute").ShouldBeFalse();
    }

    [Fact]
    public void An_entry_outside_the_copied_root_is_refused()
    {
        var tar = Build(w =>
        {
            File(w, "d/a", "a");
            File(w, "other/b", "b");
        });

        Should.Throw<UnsafePathException>(() => HostArchive.Extract(new MemoryStream(tar), _dir, "mine")).Message.ShouldContain("outside the copied tree");
        System.IO.File.Exists(Path.Combine(_dir, "other", "b")).ShouldBeFalse();
    }

    [Theory]
    [InlineData(TarEntryType.HardLink, "hard link")]
    [InlineData(TarEntryType.CharacterDevice, "device")]
    [InlineData(TarEntryType.BlockDevice, "device")]
    [InlineData(TarEntryType.Fifo, "pipe")]
    public void Hard_links_devices_and_pipes_are_refused(TarEntryType type, string why)
    {
        var tar = Build(w => w.WriteEntry(type == TarEntryType.HardLink ? new PaxTarEntry(type, "thing") { LinkName = "/etc/shadow" } : new PaxTarEntry(type, "thing")));
        Should.Throw<UnsafePathException>(() => HostArchive.Extract(new MemoryStream(tar), _dir, null)).Message.ShouldContain(why);
        System.IO.File.Exists(Path.Combine(_dir, "thing")).ShouldBeFalse();
    }

    [Fact]
    public void Setuid_setgid_and_sticky_bits_are_dropped()
    {
        var tar = Build(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "suid")
        {
            Mode = (UnixFileMode)0xFED, // 07755
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\n")),
        }));

        HostArchive.Extract(new MemoryStream(tar), _dir, null);
        System.IO.File.GetUnixFileMode(Path.Combine(_dir, "suid")).ShouldBe((UnixFileMode)0x1ED);
    }

    private static byte[] Build(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static void File(TarWriter writer, string name, string text) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = (UnixFileMode)0x1A4 });
}
