namespace Airlock.Cli.Tests.Hermeticity;

/// <summary>
/// Every test process runs with a throwaway HOME and XDG dirs, and without any AIRLOCK_HOME of a user: seen from this
/// process and from the real airlock binary it starts.
/// </summary>
public sealed class HermeticEnvironmentTests
{
    private static HermeticEnvironment Run => HermeticTestRun.Environment;

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name);

    [Fact]
    public void The_test_process_has_a_throwaway_home_and_xdg_dirs_and_no_airlock_home_of_a_user()
    {
        Variable("HOME").ShouldBe(Run.Home);
        Run.Home.ShouldStartWith(Run.Root + "/");
        foreach (var xdg in new[] { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR" })
        {
            Variable(xdg).ShouldNotBeNull(xdg).ShouldStartWith(Run.Root + "/", Case.Sensitive, xdg);
        }

        Variable(HermeticTestRun.AirlockHomeVariable).ShouldBe(Run.UnsetAirlockHome);
        Variable("DOCKER_HOST").ShouldBeNull();
        Variable("AIRLOCK_ENGINE").ShouldBeNull();
    }

    [Fact]
    public void The_guard_watches_root_and_the_test_users_real_airlock_homes_and_the_planted_one()
    {
        Run.Guarded.ShouldContain("/root/.airlock");
        Run.Guarded.ShouldContain(Path.Combine(TestUser.Home, ".airlock"));
        Run.Guarded.ShouldContain(Path.Combine(Run.Home, ".airlock"));
    }

    [Fact]
    public async Task An_airlock_run_without_an_airlock_home_of_its_own_writes_nothing_and_fails_saying_where()
    {
        var result = await ProcessRunner.RunAsync(AirlockBinary.Path, ["config"], new Dictionary<string, string?> { ["EDITOR"] = "true" });

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Stderr.ShouldContain("AIRLOCK_HOME-not-set-by-the-test", Case.Sensitive, result.ToString());
        File.Exists(Run.UnsetAirlockHome).ShouldBeFalse();
    }

    [Fact]
    public async Task The_planted_home_looks_used_so_a_test_that_falls_back_to_it_goes_wrong()
    {
        // Without any AIRLOCK_HOME airlock takes $HOME/.airlock: the planted one, with a namespace whose image is nowhere.
        var result = await AirlockBinary.RunAsync(
            ["doctor", "--json"], new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = global::Airlock.Tests.Support.Engines.Docker, [HermeticTestRun.AirlockHomeVariable] = null });

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stdout.ShouldContain("namespace-image-missing", Case.Sensitive, result.ToString());
        result.Stdout.ShouldContain($"namespace '{PlantedAirlockHome.Namespace}'", Case.Sensitive, result.ToString());
    }
}
