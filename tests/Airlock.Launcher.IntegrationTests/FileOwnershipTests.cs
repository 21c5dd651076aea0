using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Files the sandbox makes in the project belong to whoever ran airlock. The tests run as root, so the real check runs
/// airlock as the unprivileged <see cref="TestUser"/> (scripts/setup-test-user.sh): with Docker (the user is in the docker
/// group) and with rootless podman (airlock starts the user's own podman service).
/// </summary>
public sealed class FileOwnershipTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Files_made_inside_belong_to_root_when_root_runs_airlock(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var inside = (await ws.AirlockAsync(ns.Name, "sh", "-c", "id -u; touch made-by-root")).ShouldSucceed();

        inside.Stdout.Trim().ShouldBe("0");
        (await OwnerAsync(Path.Combine(ws.Project, "made-by-root"))).ShouldBe(0);
    }

    [Fact]
    public async Task Files_made_inside_belong_to_a_non_root_user_on_docker()
    {
        await shared.WarmAsync(Engines.Docker);
        await using var ws = Workspace.Create(Engines.Docker, asTestUser: true);
        var ns = await ws.CreateNamespaceAsync();

        var inside = (await ws.AirlockAsync(ns, "sh", "-c", "id -u; id -g; touch made-by-user; mkdir made-dir; echo x > ~/home-file")).ShouldSucceed();

        Engines.Lines(inside.Stdout).ShouldBe([$"{TestUser.Uid}", $"{TestUser.Uid}"]);
        (await OwnerAsync(Path.Combine(ws.Project, "made-by-user"))).ShouldBe(TestUser.Uid);
        (await OwnerAsync(Path.Combine(ws.Project, "made-dir"))).ShouldBe(TestUser.Uid);
        (await OwnerAsync(Path.Combine(ws.NamespaceHome(ns), "home-file"))).ShouldBe(TestUser.Uid);
    }

    [Fact]
    public async Task Files_made_inside_belong_to_a_non_root_user_on_rootless_podman()
    {
        await using var ws = Workspace.Create(Engines.Podman, asTestUser: true);
        var ns = await ws.CreateNamespaceAsync();

        var inside = (await ws.AirlockAsync(ns, "sh", "-c", "id -u; touch made-by-user; mkdir made-dir; echo x > ~/home-file")).ShouldSucceed();

        inside.Stdout.Trim().ShouldBe($"{TestUser.Uid}");
        (await OwnerAsync(Path.Combine(ws.Project, "made-by-user"))).ShouldBe(TestUser.Uid);
        (await OwnerAsync(Path.Combine(ws.Project, "made-dir"))).ShouldBe(TestUser.Uid);
        (await OwnerAsync(Path.Combine(ws.NamespaceHome(ns), "home-file"))).ShouldBe(TestUser.Uid);
        // Nobody started a rootless podman service for this user: airlock did, on its private socket.
        File.Exists(Path.Combine(TestUser.RuntimeDir, "podman", "podman.sock")).ShouldBeFalse("the test expects no user-started podman service");
        new FileInfo(Path.Combine(TestUser.RuntimeDir, "airlock", "podman.sock")).Exists.ShouldBeTrue("airlock should have started podman system service on $XDG_RUNTIME_DIR/airlock/podman.sock");
        (await Engines.ImageExistsAsync(Engines.Podman, ws.Image(ns), asTestUser: true)).ShouldBeTrue("the image belongs in the user's own (rootless) storage");
        (await Engines.ImageExistsAsync(Engines.Podman, ws.Image(ns))).ShouldBeFalse("and not in root's");
    }

    /// <summary>The uid that owns <paramref name="path"/> on the host (.NET has no API for it; stat(1) does).</summary>
    private static async Task<int> OwnerAsync(string path)
    {
        var stat = (await ProcessRunner.RunAsync("stat", ["-c", "%u", path])).ShouldSucceed();
        return int.Parse(stat.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
