using Airlock.Sandboxes.Files;

namespace Airlock.Sandboxes.Tests.Files;

/// <summary>
/// What a sandbox can plant in a directory it writes (links to host files and directories, FIFOs, giant files) never
/// makes host-side file work leave that directory.
/// </summary>
public sealed class ConfinedDirectoryTests : IDisposable
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _scratch = Directory.CreateTempSubdirectory("airlock-confined-").FullName;
    private readonly string _home;
    private readonly string _victim;
    private readonly string _victimDir;

    public ConfinedDirectoryTests()
    {
        _home = Directory.CreateDirectory(Path.Combine(_scratch, "home")).FullName;
        _victimDir = Directory.CreateDirectory(Path.Combine(_scratch, "victim-dir")).FullName;
        _victim = Path.Combine(_scratch, "victim");
        File.WriteAllText(_victim, "host secret");
        File.SetUnixFileMode(_victim, Readable);
    }

    private ConfinedDirectory Home => new(_home, "the test home");

    [Fact]
    public void Reading_a_link_to_a_host_file_is_refused_naming_the_link()
    {
        File.CreateSymbolicLink(Path.Combine(_home, "config.json"), _victim);

        var ex = Should.Throw<UnsafePathException>(() => Home.ReadText("config.json"));

        ex.Message.ShouldContain($"{_home}/config.json (-> {_victim}) is a symbolic link");
        ex.Message.ShouldContain("the test home");
    }

    [Fact]
    public void Reading_through_a_linked_directory_is_refused()
    {
        File.WriteAllText(Path.Combine(_victimDir, "models.json"), "host");
        File.CreateSymbolicLink(Path.Combine(_home, "agent"), _victimDir);

        Should.Throw<UnsafePathException>(() => Home.ReadText("agent/models.json")).Message.ShouldContain($"{_home}/agent (-> {_victimDir})");
    }

    [Fact]
    public void A_relative_link_that_climbs_out_is_refused_too()
    {
        File.CreateSymbolicLink(Path.Combine(_home, "up"), "../victim");

        Should.Throw<UnsafePathException>(() => Home.ReadText("up"));
    }

    [Fact]
    public void A_missing_file_reads_as_null_and_a_fifo_is_refused_without_blocking()
    {
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(_home, "pipe")])!)
        {
            mkfifo.WaitForExit();
        }

        Home.ReadText("absent.json").ShouldBeNull();
        Should.Throw<UnsafePathException>(() => Home.ReadText("pipe")).Message.ShouldContain("not a plain file");
    }

    [Fact]
    public void A_file_over_the_limit_is_refused()
    {
        File.WriteAllText(Path.Combine(_home, "big"), new string('x', 100));

        Should.Throw<UnsafePathException>(() => Home.ReadFile("big", limit: 10)).Message.ShouldContain("100 bytes");
    }

    [Fact]
    public void Writing_over_a_planted_link_replaces_the_link_and_leaves_its_target_alone()
    {
        var link = Path.Combine(_home, "pubring.kbx");
        File.CreateSymbolicLink(link, _victim);

        Home.WriteText("pubring.kbx", "keyring", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        File.ReadAllText(_victim).ShouldBe("host secret");
        File.GetUnixFileMode(_victim).ShouldBe(Readable);
        new FileInfo(link).LinkTarget.ShouldBeNull();
        File.ReadAllText(link).ShouldBe("keyring");
        File.GetUnixFileMode(link).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFileSystemEntries(_home).ShouldBe([link], "no temp file is left");
    }

    [Fact]
    public void Writing_below_a_linked_directory_is_refused_and_writes_nothing_there()
    {
        File.CreateSymbolicLink(Path.Combine(_home, ".config"), _victimDir);

        Should.Throw<UnsafePathException>(() => Home.WriteText(".config/airlock/conduit.json", "{}", Readable));

        Directory.EnumerateFileSystemEntries(_victimDir).ShouldBeEmpty();
    }

    [Fact]
    public void An_existing_file_keeps_its_permissions_without_setuid_bits()
    {
        var file = Path.Combine(_home, "x.json");
        File.WriteAllText(file, "old");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.SetUser);

        Home.WriteText("x.json", "new", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        File.ReadAllText(file).ShouldBe("new");
        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
    }

    [Fact]
    public void Setting_the_mode_of_a_link_or_through_one_is_refused()
    {
        File.SetUnixFileMode(_victimDir, Readable | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(_home, ".gnupg"), _victimDir);

        Should.Throw<UnsafePathException>(() => Home.SetMode(".gnupg", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        Should.Throw<UnsafePathException>(() => Home.CreateDirectory(".gnupg/private-keys-v1.d"));

        File.GetUnixFileMode(_victimDir).ShouldBe(Readable | UnixFileMode.UserExecute);
        Directory.EnumerateFileSystemEntries(_victimDir).ShouldBeEmpty();
    }

    [Fact]
    public void Delete_tree_removes_links_never_their_targets()
    {
        File.WriteAllText(Path.Combine(_victimDir, "keep"), "keep");
        Directory.CreateDirectory(Path.Combine(_home, "a", "b"));
        File.CreateSymbolicLink(Path.Combine(_home, "a", "b", "escape"), _victimDir);
        File.CreateSymbolicLink(Path.Combine(_home, "file-link"), _victim);
        var locked = Directory.CreateDirectory(Path.Combine(_home, "locked")).FullName;
        File.WriteAllText(Path.Combine(locked, "inside"), "x");
        File.SetUnixFileMode(locked, UnixFileMode.None);

        ConfinedDirectory.DeleteTree(_home);

        Directory.Exists(_home).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_victimDir, "keep")).ShouldBe("keep");
        File.ReadAllText(_victim).ShouldBe("host secret");
    }

    [Fact]
    public void Delete_tree_of_a_link_removes_only_the_link()
    {
        var link = Path.Combine(_scratch, "link-to-dir");
        File.WriteAllText(Path.Combine(_victimDir, "keep"), "keep");
        File.CreateSymbolicLink(link, _victimDir);

        ConfinedDirectory.DeleteTree(link);

        File.Exists(link).ShouldBeFalse();
        Directory.Exists(link).ShouldBeFalse();
        File.ReadAllText(Path.Combine(_victimDir, "keep")).ShouldBe("keep");
    }

    [Fact]
    public void A_link_is_made_as_a_link_and_replaces_a_file()
    {
        File.WriteAllText(Path.Combine(_home, "l"), "file");

        Home.CreateSymbolicLink("sub/l", "/etc/passwd");
        Home.CreateSymbolicLink("l", "target");

        new FileInfo(Path.Combine(_home, "sub", "l")).LinkTarget.ShouldBe("/etc/passwd");
        new FileInfo(Path.Combine(_home, "l")).LinkTarget.ShouldBe("target");
    }

    [Fact]
    public void A_path_that_could_climb_out_is_a_programming_error()
    {
        Should.Throw<ArgumentException>(() => Home.ReadText("../victim"));
        Should.Throw<ArgumentException>(() => Home.ReadText("/etc/passwd"));
    }

    public void Dispose() => ConfinedDirectory.DeleteTree(_scratch);
}
