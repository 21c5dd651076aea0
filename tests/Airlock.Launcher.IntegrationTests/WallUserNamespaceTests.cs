using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10, item 5: podman's default seccomp profile let a sandbox create a user namespace, hold every capability in it
/// and mount. Airlock's own profile refuses both on both engines, unless the namespace asks for nesting.
/// </summary>
public sealed class WallUserNamespaceTests(SharedNamespaces shared)
{
    private const string Attack =
        "unshare -U -r -m sh -c 'grep CapEff /proc/self/status; mount -t tmpfs none /mnt && echo MOUNTED'; echo userns+mount=$?; " +
        "unshare -U true; echo userns=$?; unshare -m true; echo mountns=$?; unshare -n true; echo netns=$?";

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_sandbox_cannot_create_a_user_namespace_or_mount_in_one(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var result = (await ws.AirlockAsync(ns.Name, "sh", "-c", Attack)).ShouldSucceed();

        result.Stdout.ShouldNotContain("MOUNTED", Case.Sensitive, result.ToString());
        result.Stdout.ShouldNotContain("CapEff", Case.Sensitive, "no process of the sandbox may hold capabilities, in any namespace");
        foreach (var probe in new[] { "userns+mount", "userns", "mountns", "netns" })
        {
            Engines.Lines(result.Stdout).ShouldContain($"{probe}=1", result.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_normal_users_sandbox_cannot_become_root_of_a_user_namespace_and_mount(string engine)
    {
        // Run by root, a sandbox cannot map root into a new user namespace anyway (Linux wants CAP_SETFCAP for that);
        // a normal user's can map itself, which is the audit's attack: root with every capability there, then mount.
        await using var ws = Workspace.Create(engine, asTestUser: true);
        var name = BaseImageNamespace(ws);

        var result = (await ws.AirlockAsync(name, "sh", "-c",
            "unshare -U -r -m sh -c 'grep CapEff /proc/self/status; mount -t tmpfs none /mnt && echo MOUNTED'; echo userns=$?")).ShouldSucceed();

        result.Stdout.ShouldNotContain("MOUNTED", Case.Sensitive, result.ToString());
        Engines.Lines(result.Stdout).ShouldBe(["userns=1"], result.ToString());
    }

    /// <summary>
    /// A namespace of the test user's own config on the base image, which the set-up put in every engine the user reaches
    /// (rootless podman's storage too): no build. Not owned by the workspace, whose clean-up would delete its image.
    /// </summary>
    private static string BaseImageNamespace(Workspace ws)
    {
        var name = Names.Namespace();
        ws.Write($"airlock/namespaces/{name}/.keep", "");
        ws.Write("airlock/config.yaml", $"namespaces:\n  {name}:\n    image: {Engines.BaseImage}\n    buildDir: {ws.Root}/build/{name}/\n");
        return name;
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Nesting_allows_user_namespaces_and_the_walls_read_only_mounts_stay_read_only_in_them(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine), "nesting: true");
        ws.Write("project/.envrc", "export A=1\n");

        // Run by root: the kernel lets nobody map root into a new user namespace without CAP_SETFCAP, so the
        // namespaces here stay unmapped; a non-root sandbox gets `unshare -r` and its own mounts as well.
        var result = (await ws.AirlockAsync(ns, "unshare", "-U", "-m", "-n", "sh", "-c",
            "echo IN-NEW-NAMESPACES; (echo pwned >> .envrc) && echo WRITTEN; mv .envrc .envrc-moved && echo MOVED; true")).ShouldSucceed();

        Engines.Lines(result.Stdout).ShouldBe(["IN-NEW-NAMESPACES"], result.ToString());
        File.ReadAllText(Path.Combine(ws.Project, ".envrc")).ShouldBe("export A=1\n");
    }
}
