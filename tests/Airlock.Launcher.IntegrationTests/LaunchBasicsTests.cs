using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary><c>airlock NS CMD...</c> from a project dir: what the command sees of the project, the home and the host.</summary>
public sealed class LaunchBasicsTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Project_is_mounted_at_the_same_path_and_is_the_working_dir(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        File.WriteAllText(Path.Combine(ws.Project, "from-host.txt"), "made on the host");

        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c", "pwd; cat from-host.txt")).ShouldSucceed();

        Engines.Lines(result.Stdout).ShouldBe([ws.Project, "made on the host"]);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task File_created_in_the_project_exists_on_the_host_afterwards(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        (await ws.AirlockAsync(ns.Name, "sh", "-c", "mkdir -p out && echo made-inside > out/result.txt")).ShouldSucceed();

        File.ReadAllText(Path.Combine(ws.Project, "out", "result.txt")).ShouldBe("made-inside\n");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Exit_code_of_the_command_passes_through(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var result = await ws.AirlockAsync(ns.Name, "sh", "-c", "echo before-exit; exit 7");

        result.ExitCode.ShouldBe(7, result.ToString());
        result.Stdout.ShouldContain("before-exit");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Piped_stdin_reaches_the_command(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var result = (await ws.RunAsync([ns.Name, "cat"], stdin: "hi\nsecond line\n")).ShouldSucceed();

        result.Stdout.ShouldBe("hi\nsecond line\n");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Options_after_the_namespace_belong_to_the_command(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        File.WriteAllText(Path.Combine(ws.Project, ".hidden"), "");

        var result = (await ws.AirlockAsync(ns.Name, "ls", "-a", "--color=never")).ShouldSucceed();

        Engines.Lines(result.Stdout).ShouldContain(".hidden");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Home_is_the_namespace_home_and_persists_across_sessions(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        var file = "persist-" + Names.Hex(4);
        var value = Names.Hex(8);

        var first = (await ws.AirlockAsync(ns.Name, "sh", "-c", $"echo \"$HOME\"; echo {value} > ~/{file}")).ShouldSucceed();
        var second = (await ws.AirlockAsync(ns.Name, "sh", "-c", $"cat ~/{file}; rm ~/{file}")).ShouldSucceed();

        first.Stdout.Trim().ShouldBe("/home/airlock");
        second.Stdout.Trim().ShouldBe(value, "a file written to ~ in one session must be there in the next");
        // The second session removed it again: the shared home stays as it was for other tests.
        File.Exists(Path.Combine(ws.NamespaceHome(ns.Name), file)).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Home_file_written_inside_is_in_the_namespace_dir_on_the_host(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        var file = "onhost-" + Names.Hex(4);
        var onHost = Path.Combine(ws.NamespaceHome(ns.Name), file);
        try
        {
            (await ws.AirlockAsync(ns.Name, "sh", "-c", $"echo inside > ~/{file}")).ShouldSucceed();

            File.ReadAllText(onHost).ShouldBe("inside\n");
        }
        finally
        {
            File.Delete(onHost);
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Nothing_of_the_host_but_the_project_and_the_namespace_home_is_mounted(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        File.WriteAllText(Path.Combine(ws.Home, "host-secret"), "do not leak");

        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c",
            $"test -e {Workspace.Quote(Path.Combine(ws.Home, "host-secret"))} && echo HOME-VISIBLE; " +
            $"test -e {Workspace.Quote(ws.AirlockHome)} && echo AIRLOCK-HOME-VISIBLE; " +
            "for s in /var/run/docker.sock /run/docker.sock /run/podman/podman.sock /run/containerd/containerd.sock; do test -e $s && echo SOCKET:$s; done; " +
            "echo MOUNTS; cat /proc/self/mountinfo")).ShouldSucceed();

        var (before, mountinfo) = Split(result.Stdout, "MOUNTS");
        before.Trim().ShouldBeEmpty("the host's home, scratch dirs or an engine socket are visible inside");
        // Every mount backed by a host filesystem (a block device, not overlay/proc/tmpfs/...) must be one airlock means to make.
        var allowed = new[]
        {
            ws.Project, "/home/airlock", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/run/.containerenv",
            "/run/podman-init", "/usr/sbin/docker-init", "/etc/localtime",
            // allowlist mode (a new namespace's): the relay and the policy point's socket directory, both read-only
            // (EgressTests.The_relay_and_the_egress_socket_cannot_be_changed_from_inside).
            "/run/airlock/relay", "/run/airlock/egress",
        };
        var hostMounts = HostBackedMounts(mountinfo).Where(m => !m.StartsWith("/usr/share/zoneinfo/", StringComparison.Ordinal)).ToList();
        hostMounts.ShouldNotBeEmpty("mountinfo was not read");
        hostMounts.Where(m => !allowed.Contains(m)).ShouldBeEmpty($"unexpected host mounts inside the sandbox:\n{mountinfo}");
        hostMounts.ShouldContain(ws.Project);
        hostMounts.ShouldContain("/home/airlock");
    }

    private static (string Before, string After) Split(string text, string marker)
    {
        var at = text.IndexOf(marker + "\n", StringComparison.Ordinal);
        at.ShouldBeGreaterThanOrEqualTo(0, text);
        return (text[..at], text[(at + marker.Length + 1)..]);
    }

    /// <summary>Mount points whose source is a block device, i.e. a directory or file of the host's own filesystem.</summary>
    private static IEnumerable<string> HostBackedMounts(string mountinfo)
    {
        foreach (var line in Engines.Lines(mountinfo))
        {
            var halves = line.Split(" - ", 2);
            var fields = halves[0].Split(' ');
            var after = halves.Length > 1 ? halves[1].Split(' ') : [];
            if (fields.Length >= 5 && after.Length >= 2 && after[1].StartsWith("/dev/", StringComparison.Ordinal))
            {
                yield return fields[4];
            }
        }
    }
}
