using System.Text.Json;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Two owners of one engine, each with a namespace of the same name: two users of one Docker daemon (root and the
/// unprivileged test user), or two AIRLOCK_HOMEs of one user on either engine. Each must build, run and delete only its
/// own image. Before images were named per owner, the second create built over the first one's image (its launches ran
/// the other's) and a delete removed the other's. Namespaces made before that keep working, and a rebuild moves them.
/// </summary>
public sealed class NamespaceImageOwnerTests(SharedNamespaces shared)
{
    [Fact]
    public async Task Two_users_of_one_docker_daemon_with_a_namespace_of_the_same_name_keep_their_own_images()
    {
        await shared.WarmAsync(Engines.Docker);
        await using var root = Workspace.Create(Engines.Docker);
        await using var tester = Workspace.Create(Engines.Docker, asTestUser: true);
        await SameNamespaceInBothAsync(root, tester);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Two_AIRLOCK_HOMEs_of_one_user_with_a_namespace_of_the_same_name_keep_their_own_images(string engine)
    {
        await shared.WarmAsync(engine);
        await using var first = Workspace.Create(engine);
        await using var second = Workspace.Create(engine);
        await SameNamespaceInBothAsync(first, second);
    }

    private static async Task SameNamespaceInBothAsync(Workspace a, Workspace b)
    {
        var name = Names.Namespace();
        a.Own(name);
        b.Own(name);
        WriteTemplate(a, "owner-a");
        WriteTemplate(b, "owner-b");

        (await a.RunAsync(["create", "namespace", name, "owner-a"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();
        (await b.RunAsync(["create", "namespace", name, "owner-b"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        (await a.AirlockAsync(name, "cat", "/etc/it-marker")).ShouldSucceed().Stdout.Trim().ShouldBe("owner-a", "a's namespace runs a's image, not the one b built later");
        (await b.AirlockAsync(name, "cat", "/etc/it-marker")).ShouldSucceed().Stdout.Trim().ShouldBe("owner-b");
        a.Image(name).ShouldNotBe(b.Image(name));
        a.ReadConfig().ShouldContain($"image: {a.Image(name)}");
        b.ReadConfig().ShouldContain($"image: {b.Image(name)}");

        (await a.AirlockAsync("delete", "namespace", name, "--force")).ShouldSucceed();

        (await Engines.ImageExistsAsync(a.Engine, a.Image(name), a.AsTestUser)).ShouldBeFalse();
        (await Engines.ImageExistsAsync(b.Engine, b.Image(name), b.AsTestUser)).ShouldBeTrue("deleting a's namespace must not remove b's image");
        (await b.AirlockAsync(name, "cat", "/etc/it-marker")).ShouldSucceed().Stdout.Trim().ShouldBe("owner-b");
    }

    /// <summary>A user template (the base template plus a marker step), written as the workspace's user.</summary>
    private static void WriteTemplate(Workspace ws, string marker)
    {
        var dockerfile = File.ReadAllText(Path.Combine(Templates.BaseDir, "Dockerfile")).TrimEnd('\n') + $"\nRUN echo {marker} > /etc/it-marker\n";
        ws.Write(Path.Combine(ws.AirlockHome, "templates", marker, "Dockerfile"), dockerfile);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_namespace_recorded_with_the_shared_legacy_name_still_runs_and_a_rebuild_gives_it_its_own(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        // What an older airlock left: config.yaml naming the image localhost/airlock:NAME.
        var legacy = $"localhost/airlock:{ns}";
        (await Engines.CliAsync(engine, "tag", ws.Image(ns), legacy)).ShouldSucceed();
        using (await EngineImageLock.AcquireAsync(engine, asTestUser: false))
        {
            await Engines.RemoveImageAsync(engine, ws.Image(ns));
        }

        ws.Write(ws.ConfigFile, ws.ReadConfig().Replace($"image: {ws.Image(ns)}", $"image: {legacy}", StringComparison.Ordinal));
        try
        {
            (await ws.AirlockAsync(ns, "echo", "still-runs")).ShouldSucceed().Stdout.ShouldContain("still-runs");
            var before = await ws.AirlockAsync("doctor", "--json");
            before.ExitCode.ShouldBe(2, before.ToString());
            string command;
            using (var report = JsonDocument.Parse(before.Stdout))
            {
                var problem = report.RootElement.GetProperty("problems").EnumerateArray().Single();
                problem.GetProperty("code").GetString().ShouldBe("namespace-image-shared");
                command = problem.GetProperty("command").GetString()!;
            }

            command.ShouldBe($"airlock rebuild namespace {ns}");
            var rebuilt = (await ws.RunAsync(command.Split(' ').Skip(1), timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

            rebuilt.Stderr.ShouldContain($"now has an image of its own, {ws.Image(ns)}");
            ws.ReadConfig().ShouldContain($"image: {ws.Image(ns)}");
            (await Engines.ImageExistsAsync(engine, legacy)).ShouldBeTrue("the shared old name may be another user's: it is left");
            (await ws.AirlockAsync("doctor", "--json")).ExitCode.ShouldBe(0, "the fix doctor printed fixed it");
            (await ws.AirlockAsync(ns, "echo", "runs-its-own")).ShouldSucceed().Stdout.ShouldContain("runs-its-own");
        }
        finally
        {
            using (await EngineImageLock.AcquireAsync(engine, asTestUser: false))
            {
                await Engines.RemoveImageAsync(engine, legacy);
            }
        }
    }
}
