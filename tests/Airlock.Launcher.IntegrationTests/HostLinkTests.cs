using Airlock.Launcher.IntegrationTests.Conduit;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10 item 7: a sandbox plants symbolic links in its namespace home (which it can write) to make the host, running
/// airlock as the user (or as root), write, chmod, read or delete a host file through them. Each attack is made from
/// inside a real sandbox, then the host-side command runs through the real binary; the host file must stay as it was.
/// </summary>
public sealed class HostLinkTests(SharedNamespaces shared)
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Searchable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Gpg_import_never_writes_or_chmods_a_host_file_through_a_link_the_sandbox_planted(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var victim = HostVictim(ws, "victim-file", "host file, must not change\n");
        var victimDir = Directory.CreateDirectory(Path.Combine(ws.Root, "victim-dir")).FullName;
        File.SetUnixFileMode(victimDir, Searchable);
        ws.Write("home/.gnupg/pubring.kbx", "HOST-KEYRING");
        ws.Write("home/.gnupg/private-keys-v1.d/ABC.key", "HOST-PRIVATE-KEY");

        (await ws.AirlockAsync(ns, "sh", "-c", $"mkdir -p ~/.gnupg && ln -s {victim} ~/.gnupg/pubring.kbx && ln -s {victimDir} ~/.gnupg/private-keys-v1.d")).ShouldSucceed();
        var result = await ws.AirlockAsync(ns, "--gpg", "true");

        File.ReadAllText(victim).ShouldBe("host file, must not change\n", "--gpg wrote the keyring through the planted link");
        File.GetUnixFileMode(victim).ShouldBe(Readable);
        File.GetUnixFileMode(victimDir).ShouldBe(Searchable, "--gpg chmod'ed a host directory through the planted link");
        Directory.EnumerateFileSystemEntries(victimDir).ShouldBeEmpty("--gpg copied private keys into a host directory through the planted link");
        result.ShouldBeUserError(".gnupg/private-keys-v1.d", "is a symbolic link", "never follows a link");
        var pubring = Path.Combine(ws.NamespaceHome(ns), ".gnupg", "pubring.kbx");
        new FileInfo(pubring).LinkTarget.ShouldBeNull("the planted link is replaced by the copy, not written through");
        File.ReadAllText(pubring).ShouldBe("HOST-KEYRING");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Gpg_import_refuses_a_gnupg_dir_that_is_a_link_to_a_host_dir(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var victimDir = Directory.CreateDirectory(Path.Combine(ws.Root, "victim-dir")).FullName;
        File.SetUnixFileMode(victimDir, Searchable);
        ws.Write("home/.gnupg/pubring.kbx", "HOST-KEYRING");

        (await ws.AirlockAsync(ns, "sh", "-c", $"ln -s {victimDir} ~/.gnupg")).ShouldSucceed();
        var result = await ws.AirlockAsync(ns, "--gpg", "true");

        result.ShouldBeUserError(".gnupg", "is a symbolic link");
        File.GetUnixFileMode(victimDir).ShouldBe(Searchable);
        Directory.EnumerateFileSystemEntries(victimDir).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Conduit_launch_never_copies_a_host_file_into_the_home_through_a_planted_link(string engine)
    {
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var secret = HostVictim(ws, "host-secret.json", "{\"token\": \"HOST-SECRET-TOKEN\"}\n");
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl, "--namespace", ns)).ShouldSucceed();

        (await ws.AirlockAsync(ns, "sh", "-c", $"mkdir -p ~/.pi/agent && ln -s {secret} ~/.pi/agent/models.json")).ShouldSucceed();
        var result = await ws.AirlockAsync("conduit", "launch", "pi", "--model", "fake-alpha", "--namespace", ns);
        var seen = await ws.AirlockAsync(ns, "sh", "-c", "cat ~/.pi/agent/models.json 2>/dev/null; true");

        seen.Stdout.ShouldNotContain("HOST-SECRET-TOKEN", Case.Sensitive, "the host file's content reached the sandbox");
        result.ShouldBeUserError(".pi/agent/models.json", "is a symbolic link");
        File.ReadAllText(secret).ShouldBe("{\"token\": \"HOST-SECRET-TOKEN\"}\n");
        new FileInfo(Path.Combine(ws.NamespaceHome(ns), ".pi", "agent", "models.json")).LinkTarget.ShouldBe(secret, "refused: left as the sandbox made it");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Conduit_never_writes_its_settings_through_a_linked_directory(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var victimDir = Directory.CreateDirectory(Path.Combine(ws.Root, "victim-config")).FullName;

        (await ws.AirlockAsync(ns, "sh", "-c", $"mkdir -p ~/.config && ln -s {victimDir} ~/.config/airlock")).ShouldSucceed();
        var result = await ws.AirlockAsync("conduit", "set", "endpoint", "ollama", "--namespace", ns);

        result.ShouldBeUserError(".config/airlock", "is a symbolic link");
        Directory.EnumerateFileSystemEntries(victimDir).ShouldBeEmpty("conduit wrote its settings into a host directory through the planted link");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Resetting_a_namespace_removes_links_in_its_home_and_never_what_they_point_to(string engine)
    {
        await using var ws = Workspace.Create(engine);
        // Reset wipes the home by the same fd-based delete as `delete namespace`, and keeps the (borrowed) image.
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var victimDir = Directory.CreateDirectory(Path.Combine(ws.Root, "victim-tree")).FullName;
        var victim = HostVictim(ws, "victim-tree/keep-me", "still here\n");

        (await ws.AirlockAsync(ns, "sh", "-c", $"ln -s {victimDir} ~/escape && mkdir -p ~/deep/er && ln -s {victimDir} ~/deep/er/escape && ln -s {victim} ~/file-link")).ShouldSucceed();
        (await ws.AirlockAsync("reset", "namespace", ns)).ShouldSucceed();

        File.Exists(Path.Combine(ws.NamespaceHome(ns), "file-link")).ShouldBeFalse();
        Directory.Exists(Path.Combine(ws.NamespaceHome(ns), "escape")).ShouldBeFalse();
        File.ReadAllText(victim).ShouldBe("still here\n");
    }

    private static string HostVictim(Workspace ws, string relative, string content)
    {
        var path = Path.Combine(ws.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, Readable);
        return path;
    }
}
