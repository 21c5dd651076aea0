using System.Text;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>One real <c>airlock serve</c> process on podman (SQLite) for a class's client tests.</summary>
public sealed class PodmanServeFixture : IAsyncLifetime
{
    public ServeProcess Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await ServeProcess.StartAsync(TestEngines.Podman);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary><see cref="SandboxCopyCommandTests"/> against a server on Docker.</summary>
public sealed class SandboxCopyCommandDockerTests(ServeFixture fixture) : SandboxCopyCommandTests(fixture.Server), IClassFixture<ServeFixture>;

/// <summary><see cref="SandboxCopyCommandTests"/> against a server on podman.</summary>
public sealed class SandboxCopyCommandPodmanTests(PodmanServeFixture fixture) : SandboxCopyCommandTests(fixture.Server), IClassFixture<PodmanServeFixture>;

/// <summary>
/// <c>airlock sandbox cp</c> against a real <c>airlock serve</c>: files and directories both ways, tars on stdin and
/// stdout, and a sandbox that swaps a directory for a link between two copies cannot make the host write through it.
/// </summary>
public abstract class SandboxCopyCommandTests(ServeProcess server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("airlock-cp-test-").FullName;

    private ServeProcess Server => server;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact(Timeout = 180_000)]
    public async Task Copies_files_and_directories_both_ways()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("cp");
        var id = await CreateAsync(op, "copier");

        // A host file in, under its own name into an existing directory and under a new name.
        var local = Path.Combine(_dir, "notes.md");
        await File.WriteAllTextAsync(local, "# notes\n", Ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(local, (UnixFileMode)0x1ED); // 0755, which the copy keeps
        }
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", local, "copier:/tmp"));
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", local, $"{id}:/tmp/renamed.md"));
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "copier", "--", "stat", "-c", "%n %a %s", "/tmp/notes.md", "/tmp/renamed.md")))
            .ShouldBe("/tmp/notes.md 755 8\n/tmp/renamed.md 755 8\n");

        // A host tree in: onto an existing directory it lands inside it; onto a new name, as that name.
        var tree = Path.Combine(_dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        await File.WriteAllTextAsync(Path.Combine(tree, "a.txt"), "alpha\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "b.txt"), "beta\n", Ct);
        File.CreateSymbolicLink(Path.Combine(tree, "sub", "to-a"), "../a.txt");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", tree, "copier:/tmp"));
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", tree, "copier:/tmp/fresh"));
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "copier", "--", "sh", "-c", "cat /tmp/tree/sub/to-a /tmp/fresh/sub/b.txt; readlink /tmp/fresh/sub/to-a")))
            .ShouldBe("alpha\nbeta\n../a.txt\n");

        // Out again: a file to a new name, a directory into an existing one and to a new name.
        var back = Path.Combine(_dir, "back");
        Directory.CreateDirectory(back);
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", "copier:/tmp/notes.md", Path.Combine(back, "n.md")));
        (await File.ReadAllTextAsync(Path.Combine(back, "n.md"), Ct)).ShouldBe("# notes\n");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", "copier:/tmp/tree", back));
        (await File.ReadAllTextAsync(Path.Combine(back, "tree", "sub", "b.txt"), Ct)).ShouldBe("beta\n");
        new FileInfo(Path.Combine(back, "tree", "sub", "to-a")).LinkTarget.ShouldBe("../a.txt");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", "copier:/tmp/fresh", Path.Combine(back, "again")));
        (await File.ReadAllTextAsync(Path.Combine(back, "again", "a.txt"), Ct)).ShouldBe("alpha\n");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_dash_is_a_tar_on_stdout_and_on_stdin()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("cpdash");
        await CreateAsync(op, "dash");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "dash", "--", "sh", "-c", "mkdir -p /tmp/src/in && echo hello > /tmp/src/in/h.txt && mkdir /tmp/dst"));

        var tar = await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", "dash:/tmp/src", "-"));
        var entries = await Airlock.Server.Tests.Files.Tars.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(tar)), Ct);
        entries["src/in/h.txt"].ShouldBe("hello\n");

        (await Server.RunAsync(op, new Dictionary<string, string?>(), tar, "sandbox", "cp", "-", "dash:/tmp/dst")).Code.ShouldBe(0);
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "dash", "--", "cat", "/tmp/dst/src/in/h.txt"))).ShouldBe("hello\n");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_link_the_sandbox_swaps_in_is_never_written_through_on_the_host()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("cpswap");
        await CreateAsync(op, "swapper");
        var victim = Path.Combine(_dir, "victim");
        Directory.CreateDirectory(victim);
        var outDir = Path.Combine(_dir, "out");
        Directory.CreateDirectory(outDir);

        // First copy: the sandbox's link to a host path becomes a link on the host (as docker cp does) ...
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "swapper", "--", "sh", "-c", $"mkdir /tmp/d && ln -s {victim} /tmp/d/link"));
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "cp", "swapper:/tmp/d", outDir));
        new FileInfo(Path.Combine(outDir, "d", "link")).LinkTarget.ShouldBe(victim);

        // ... then the sandbox makes it a directory with a file in it: the second copy must not follow the host link.
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "swapper", "--", "sh", "-c", "rm /tmp/d/link && mkdir /tmp/d/link && echo pwned > /tmp/d/link/planted"));
        var second = await Server.RunAsync(op, "sandbox", "cp", "swapper:/tmp/d", outDir);
        second.Code.ShouldBe(2, second.Stderr);
        second.Stderr.ShouldContain("link");
        Directory.GetFileSystemEntries(victim).ShouldBeEmpty();
    }

    [Fact(Timeout = 120_000)]
    public async Task Bad_arguments_exit_2_saying_what_to_fix()
    {
        var (_, op, viewer) = await Server.NewTenantWithKeysAsync("cpbad");
        await CreateAsync(op, "bad");
        var local = Path.Combine(_dir, "f.txt");
        await File.WriteAllTextAsync(local, "x", Ct);

        var both = await Server.RunAsync(op, "sandbox", "cp", "bad:/tmp/a", "bad:/tmp/b");
        both.Code.ShouldBe(2);
        both.Stderr.ShouldContain("both SRC and DST");
        var neither = await Server.RunAsync(op, "sandbox", "cp", local, Path.Combine(_dir, "g.txt"));
        neither.Code.ShouldBe(2);
        neither.Stderr.ShouldContain("neither SRC nor DST");
        var relative = await Server.RunAsync(op, "sandbox", "cp", local, "bad:tmp/f.txt");
        relative.Code.ShouldBe(2);
        relative.Stderr.ShouldContain("must be absolute");
        var dotdot = await Server.RunAsync(op, "sandbox", "cp", "bad:/tmp/../etc/passwd", Path.Combine(_dir, "p"));
        dotdot.Code.ShouldBe(2);
        dotdot.Stderr.ShouldContain("query.path");
        var missing = await Server.RunAsync(op, "sandbox", "cp", "bad:/tmp/nothing-here", Path.Combine(_dir, "p"));
        missing.Code.ShouldBe(2);
        missing.Stderr.ShouldContain("/tmp/nothing-here does not exist");
        var readOnly = await Server.RunAsync(viewer, "sandbox", "cp", local, "bad:/tmp/f.txt");
        readOnly.Code.ShouldBe(2);
        readOnly.Stderr.ShouldContain("403");
        (await Server.RunAsync(op, "sandbox", "cp", "--help")).Stdout.ShouldContain("airlock sandbox cp build-1:/work/report.txt ./report.txt");
    }

    private async Task<string> CreateAsync(string op, string name) =>
        JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", name, "--image", TestEngines.BaseImage, "--cpus", "0.25", "-m", "64m", "--json", "--", "sleep", "infinity")))!
            ["id"]!.GetValue<string>();
}
