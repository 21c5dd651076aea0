using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Several `airlock create namespace X` started at once, as real processes: one builds and seeds the home, the others wait
/// for it and then say the namespace already exists (exit 2). Before the namespace lock, each of them built, seeded the
/// same home and said "created".
/// </summary>
public sealed class ConcurrentCreateTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Concurrent_creates_of_one_namespace_build_once_and_the_others_say_it_already_exists(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.NewNamespaceName();
        var env = ws.Environment();

        ProcessResult[] results;
        // Held around all three (other tests' image removals wait), but not by each: they must really run at once.
        using (await EngineImageLock.AcquireAsync(engine, asTestUser: false))
        {
            results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
                ProcessRunner.RunAsync(AirlockBinary.Path, ["create", "namespace", name, "base"], env, ws.Project, timeout: TimeSpan.FromMinutes(10))));
        }

        var all = string.Join("\n", results.Select(r => r.ToString()));
        var winners = results.Where(r => r.ExitCode == 0).ToList();
        winners.Count.ShouldBe(1, all);
        winners[0].Stdout.ShouldContain($"created namespace {name}");
        foreach (var loser in results.Where(r => r.ExitCode != 0))
        {
            loser.ShouldBeUserError($"namespace '{name}' already exists");
            loser.Stderr.ShouldNotContain("seeding home", Case.Sensitive, "only the winner seeds the home");
            loser.Stderr.ShouldNotContain("building", Case.Sensitive, "only the winner builds");
        }

        ws.ReadConfig().ShouldContain($"  {name}:\n");
        File.Exists(Path.Combine(ws.NamespaceHome(name), ".bashrc")).ShouldBeTrue();
        (await ws.AirlockAsync(name, "true")).ShouldSucceed();
    }
}
