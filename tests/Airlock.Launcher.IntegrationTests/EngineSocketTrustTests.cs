using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10 item 10: another local user plants a fake engine where airlock (run by the test user) looks for one, and
/// waits for its requests (the files it mounts, the images it builds). Airlock must never send it anything.
/// </summary>
public sealed class EngineSocketTrustTests
{
    [Fact]
    public async Task Podman_private_socket_in_a_directory_another_user_made_is_never_used()
    {
        await using var ws = Workspace.Create(Engines.Podman, asTestUser: true);
        // Without XDG_RUNTIME_DIR airlock's private podman socket is $TMPDIR/airlock-UID; TMPDIR is a sticky, shared dir like /tmp.
        var tmp = Directory.CreateDirectory(Path.Combine(ws.Root, "shared-tmp")).FullName;
        File.SetUnixFileMode(tmp, (UnixFileMode)0x3FF);
        using var planted = new PlantedEngineSocket(Path.Combine(tmp, $"airlock-{TestUser.Uid}", "podman.sock"));

        var result = await ws.RunAsync(["list", "sessions"], env: new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = null, ["TMPDIR"] = tmp });

        planted.Requests.ShouldBe(0, $"airlock sent requests to the planted engine:\n{result}");
        result.ExitCode.ShouldBe(3, result.ToString());
        result.Message.ShouldContain($"airlock-{TestUser.Uid}");
        result.Message.ShouldContain($"belongs to uid {PlantedEngineSocket.OwnerUid}");
    }

    [Fact]
    public async Task Docker_socket_in_a_runtime_dir_of_another_user_is_skipped_for_the_real_one()
    {
        await using var ws = Workspace.Create(Engines.Docker, asTestUser: true);
        var runtime = Path.Combine(ws.Root, "other-users-runtime");
        using var planted = new PlantedEngineSocket(Path.Combine(runtime, "docker.sock"));

        var result = await ws.RunAsync(["list", "sessions"], env: new Dictionary<string, string?> { ["XDG_RUNTIME_DIR"] = runtime });

        planted.Requests.ShouldBe(0, $"airlock sent requests to the planted engine:\n{result}");
        result.ShouldSucceed();
    }
}
