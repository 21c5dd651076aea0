using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// A bare <c>airlock</c> on first run creates <c>default</c> and enters it; <c>--create [TEMPLATE]</c> creates a missing
/// namespace on launch. The namespace must be called default; its image name carries the workspace's own AIRLOCK_HOME
/// (localhost/airlock:default.OWNER), so a real user's 'default', or another run's, is never touched.
/// </summary>
public sealed class BootstrapTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Bare_airlock_with_no_namespaces_bootstraps_default_then_enters_it(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        ws.Own("default");
        // A user template named default shadows the baked-in one (which installs whole toolchains): same code path, a fast build.
        Templates.WriteMarked(Path.Combine(ws.AirlockHome, "templates", "default"), "user-default");

        var first = await ws.RunAsync([], stdin: "cat /etc/it-marker; echo \"ns=$AIRLOCK_NAMESPACE\"; exit 4\n", timeout: TimeSpan.FromMinutes(10));

        first.ExitCode.ShouldBe(4, first.ToString());
        Engines.Lines(first.Stdout).ShouldContain("user-default");
        Engines.Lines(first.Stdout).ShouldContain("ns=default");
        ws.ReadConfig().ShouldContain("  default:\n");
        ws.ReadConfig().ShouldContain("template: default");
        (await Engines.ImageExistsAsync(engine, ws.Image("default"))).ShouldBeTrue();

        var second = await ws.RunAsync([], stdin: "echo second-run\n");

        second.ShouldSucceed().Stdout.ShouldContain("second-run");
        second.Stderr.ShouldNotContain("building", Case.Sensitive, "a second bare airlock enters default without building it again");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_flag_on_launch_creates_a_missing_namespace_then_runs_the_command(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = ws.NewNamespaceName();

        var launch = await ws.RunAsync([ns, "--create", "base", "sh", "-c", "echo created-and-ran; exit 5"], timeout: TimeSpan.FromMinutes(10));

        launch.ExitCode.ShouldBe(5, launch.ToString());
        launch.Stdout.ShouldContain("created-and-ran");
        ws.ReadConfig().ShouldContain($"  {ns}:\n");
        (await Engines.ImageExistsAsync(engine, ws.Image(ns))).ShouldBeTrue();
        // Once it exists, --create changes nothing: no second build.
        var again = (await ws.AirlockAsync(ns, "--create", "base", "echo", "again")).ShouldSucceed();
        again.Stderr.ShouldNotContain("building");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Launching_a_missing_namespace_without_create_says_how_to_create_it(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var before = await StateSnapshot.TakeAsync(ws, "it-missing");

        var launch = await ws.AirlockAsync("it-missing", "true");

        launch.ShouldBeUserError("no namespace named 'it-missing'", "--create");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, "it-missing"), "launching a missing namespace");
    }

    /// <summary>The real baked-in default template (Python, Node, Go, Rust, C): slow (minutes of apt-get), so once, on podman.</summary>
    [Fact]
    public async Task Bare_airlock_bootstraps_the_baked_in_default_template_with_its_toolchains()
    {
        const string engine = Engines.Podman;
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        ws.Own("default");

        var first = await ws.RunAsync([], stdin: "for t in python3 node go rustc cargo gcc git rg jq; do command -v $t >/dev/null && echo have-$t; done\n", timeout: TimeSpan.FromMinutes(20));

        first.ShouldSucceed();
        foreach (var tool in new[] { "python3", "node", "go", "rustc", "cargo", "gcc", "git", "rg", "jq" })
        {
            Engines.Lines(first.Stdout).ShouldContain($"have-{tool}", first.ToString());
        }

        ws.ReadConfig().ShouldContain("template: default");
    }
}
