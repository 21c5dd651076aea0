using System.Text.Json;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// <c>airlock run AGENT</c> and <c>airlock list agents</c> against a namespace built from the real cli-agents template,
/// with the real agent CLIs inside. No model is called: the agents are asked what they can answer offline (versions,
/// help, bad flags, an API-key login stored in their config dir).
/// </summary>
public sealed class AgentsTests(CliAgentsNamespace agents, SharedNamespaces shared) : IClassFixture<CliAgentsNamespace>
{
    private static readonly Dictionary<string, string> ExpectedVersions = new()
    {
        ["claude"] = "2.1.330",
        ["codex"] = "0.169.0",
        ["gemini"] = "0.61.0",
        ["opencode"] = "1.18.33",
        ["pi"] = "0.73.1",
        ["qwen"] = "0.24.4",
    };

    private Workspace NewWorkspace() => Workspace.Sharing(agents.Shared);

    private string Ns => agents.Shared.Name;

    [Theory]
    [InlineData("claude")]
    [InlineData("codex")]
    [InlineData("gemini")]
    [InlineData("opencode")]
    [InlineData("pi")]
    [InlineData("qwen")]
    [InlineData("copilot")]
    public async Task Every_npm_agent_answers_version_inside_a_sandbox(string agent)
    {
        await using var ws = NewWorkspace();

        var run = (await ws.AirlockAsync("run", "--namespace", Ns, agent, "--version")).ShouldSucceed();

        (run.Stdout + run.Stderr).Trim().ShouldNotBeEmpty();
        if (ExpectedVersions.TryGetValue(agent, out var version))
        {
            // pi prints its version on stderr.
            (run.Stdout + run.Stderr).ShouldContain(version, Case.Sensitive, run.ToString());
        }
    }

    [Fact]
    public async Task Run_without_a_namespace_bootstraps_agents_from_cli_agents_then_reuses_it()
    {
        // The image name carries the workspace's own AIRLOCK_HOME, so a real user's 'agents' is never touched. The build
        // reuses the shared namespace's cached layers.
        await using var ws = Workspace.Create(Engines.Docker);
        ws.Own("agents");

        var first = await ws.RunAsync(["run", "codex", "--version"], timeout: TimeSpan.FromMinutes(20));
        var second = await ws.AirlockAsync("run", "pi", "--version");

        first.ShouldSucceed().Stdout.ShouldContain("0.169.0");
        first.Stderr.ShouldContain("creating it from the cli-agents template");
        ws.ReadConfig().ShouldContain("  agents:\n");
        ws.ReadConfig().ShouldContain("template: cli-agents");
        (second.ShouldSucceed().Stdout + second.Stderr).ShouldContain("0.73.1"); // pi prints its version on stderr
        second.Stderr.ShouldNotContain("creating", Case.Sensitive, "the second run enters 'agents' without building it again");
    }

    [Fact]
    public async Task The_image_runs_a_current_Node_LTS_from_the_npm_registry_not_Debians()
    {
        var node = (await Engines.CliAsync(Engines.Docker, "run", "--rm", agents.Shared.Image, "sh", "-c", "command -v node; node --version")).ShouldSucceed();

        var lines = Engines.Lines(node.Stdout);
        lines[0].ShouldBe("/usr/local/bin/node");
        int.Parse(lines[1].TrimStart('v').Split('.')[0], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(22);
        (await Engines.CliAsync(Engines.Docker, "run", "--rm", agents.Shared.Image, "test", "-e", "/usr/bin/node")).ExitCode.ShouldNotBe(0, "Debian's nodejs is not installed");
    }

    [Fact]
    public async Task List_agents_shows_installed_agents_with_their_versions_as_a_table_and_as_JSON()
    {
        await using var ws = NewWorkspace();

        var table = (await ws.AirlockAsync("list", "agents", "--namespace", Ns)).ShouldSucceed();
        var json = (await ws.AirlockAsync("list", "agents", "--namespace", Ns, "--json")).ShouldSucceed();
        var quiet = (await ws.AirlockAsync("list", "agents", "--namespace", Ns, "-q")).ShouldSucceed();

        var codexRow = Engines.Lines(table.Stdout).Single(l => l.Contains("@openai/codex", StringComparison.Ordinal));
        codexRow.ShouldContain("0.169.0");
        Engines.Lines(table.Stdout).Single(l => l.Contains("aider-chat", StringComparison.Ordinal)).ShouldContain("not installed");
        using var doc = JsonDocument.Parse(json.Stdout);
        doc.RootElement.GetProperty("namespace").GetString().ShouldBe(Ns);
        doc.RootElement.GetProperty("hasManifest").GetBoolean().ShouldBeTrue();
        var listed = doc.RootElement.GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a);
        listed.Keys.ShouldBe(["claude", "codex", "gemini", "opencode", "crush", "pi", "qwen", "copilot", "aider"]);
        foreach (var (name, version) in ExpectedVersions)
        {
            listed[name].GetProperty("installed").GetBoolean().ShouldBeTrue(name);
            listed[name].GetProperty("version").GetString().ShouldBe(version);
        }

        listed["aider"].GetProperty("installed").GetBoolean().ShouldBeFalse();
        Engines.Lines(quiet.Stdout).ShouldContain("codex");
        Engines.Lines(quiet.Stdout).ShouldNotContain("aider");
    }

    [Fact]
    public async Task Args_pass_untouched_so_the_agents_own_help_is_shown_not_airlocks()
    {
        await using var ws = NewWorkspace();

        var help = (await ws.AirlockAsync("run", "-n", Ns, "codex", "--help")).ShouldSucceed();

        help.Stdout.ShouldContain("Usage: codex");
        help.Stdout.ShouldNotContain("--host-port");
    }

    [Fact]
    public async Task A_bad_flag_makes_the_agent_fail_and_its_exit_code_comes_back_unchanged()
    {
        await using var ws = NewWorkspace();
        var direct = await Engines.CliAsync(Engines.Docker, "run", "--rm", agents.Shared.Image, "claude", "--no-such-flag-here");
        direct.ExitCode.ShouldNotBe(0, direct.ToString());

        var run = await ws.AirlockAsync("run", "-n", Ns, "claude", "--no-such-flag-here");

        run.ExitCode.ShouldBe(direct.ExitCode, run.ToString());
        run.Stderr.ShouldContain("--no-such-flag-here");
    }

    [Fact]
    public async Task Only_allowlisted_and_opted_in_host_variables_reach_the_agent()
    {
        await using var ws = NewWorkspace();
        // A preload script makes the real gemini process print its environment's names and stop: gemini is a Node
        // program, and NODE_OPTIONS reaches it only through the AIRLOCK_ENV_ opt-in.
        var preload = ws.Write("project/print-env.js", "process.stdout.write('ENV ' + Object.keys(process.env).sort().join(' ') + '\\n'); process.exit(0);\n");
        var env = new Dictionary<string, string?>
        {
            ["GEMINI_API_KEY"] = "allowlisted-for-gemini",
            ["OPENAI_API_KEY"] = "codex-only",
            ["IT_NOT_ALLOWLISTED"] = "host-only",
            ["AIRLOCK_ENV_NODE_OPTIONS"] = $"--require {preload}",
            ["AIRLOCK_ENV_IT_OPTED_IN"] = "yes",
        };

        var run = (await ws.RunAsync(["run", "-n", Ns, "gemini", "--version"], env: env)).ShouldSucceed();

        var names = Engines.Lines(run.Stdout).Single(l => l.StartsWith("ENV ", StringComparison.Ordinal)).Split(' ').Skip(1).ToList();
        names.ShouldContain("GEMINI_API_KEY");
        names.ShouldContain("NODE_OPTIONS");
        names.ShouldContain("IT_OPTED_IN");
        names.ShouldNotContain("OPENAI_API_KEY");
        names.ShouldNotContain("IT_NOT_ALLOWLISTED");
        names.ShouldNotContain("AIRLOCK_ENV_IT_OPTED_IN");
    }

    [Fact]
    public async Task Dry_run_names_the_forwarded_variables_shows_the_key_as_a_secret_and_prints_no_value()
    {
        await using var ws = NewWorkspace();
        var env = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = "sk-it-secret-value", ["OPENAI_BASE_URL"] = "https://models.example/v1", ["AIRLOCK_ENV_IT_EXTRA"] = "extra-secret",
        };

        var run = (await ws.RunAsync(["run", "--dry-run", "-n", Ns, "codex", "exec", "hi"], env: env)).ShouldSucceed();

        run.Stdout.ShouldNotContain("sk-it-secret-value");
        run.Stdout.ShouldNotContain("extra-secret");
        using var doc = JsonDocument.Parse(run.Stdout);
        doc.RootElement.GetProperty("forwardedEnv").EnumerateArray().Select(e => e.GetString()).ShouldBe(["OPENAI_BASE_URL"]);
        doc.RootElement.GetProperty("optedInEnv").EnumerateArray().Select(e => e.GetString()).ShouldBe(["IT_EXTRA"]);
        doc.RootElement.GetProperty("secrets").EnumerateArray().Select(e => e.GetString())
            .ShouldBe(["OPENAI_API_KEY: a placeholder; the value of env:OPENAI_API_KEY goes as bearer to api.openai.com, models.example"]);
        var spec = doc.RootElement.GetProperty("spec");
        spec.GetProperty("command").EnumerateArray().Select(e => e.GetString()).ShouldBe(["codex", "exec", "hi"]);
        spec.GetProperty("environment").GetProperty("OPENAI_API_KEY").GetString().ShouldStartWith("airlock-placeholder-openaiapikey-");
        spec.GetProperty("environment").GetProperty("OPENAI_BASE_URL").GetString().ShouldStartWith("(hidden");
        (await Engines.ContainersAsync(Engines.Docker, $"io.airlock.namespace={Ns}")).ShouldBeEmpty("a dry run starts nothing");
    }

    [Fact]
    public async Task Dry_run_shows_the_agents_allowlist_with_every_agents_provider()
    {
        await using var ws = NewWorkspace();

        var run = (await ws.RunAsync(["run", "--dry-run", "-n", Ns, "claude"])).ShouldSucceed();

        using var doc = JsonDocument.Parse(run.Stdout);
        var network = doc.RootElement.GetProperty("spec").GetProperty("network");
        network.GetProperty("mode").GetString().ShouldBe("allowlist");
        var allow = network.GetProperty("allow").EnumerateArray().Select(e => e.GetString()).ToList();
        allow.ShouldContain("api.anthropic.com");
        allow.ShouldContain("api.openai.com");
        allow.ShouldContain("registry.npmjs.org");
        allow.ShouldContain("github.com");
    }

    [Fact]
    public async Task Npm_install_and_node_reach_the_listed_registry_and_an_unlisted_host_is_refused_with_how_to_allow_it()
    {
        await using var ws = NewWorkspace();
        var other = MachineHosts.AptSources()[0].Host;
        await File.WriteAllTextAsync(Path.Combine(ws.Project, "fetch.mjs"), """
            for (const url of process.argv.slice(2)) {
              try { const r = await fetch(url); console.log(`${url} status=${r.status}`); }
              catch (e) { console.log(`${url} failed=${e.cause?.code ?? e.message}`); }
            }
            """, TestContext.Current.CancellationToken);

        var install = await ws.RunAsync(
            [Ns, "--", "sh", "-c", "npm install --no-audit --no-fund --no-save is-number@7.0.0 && node -e \"console.log('is-number:' + require('is-number')(7))\""],
            timeout: TimeSpan.FromMinutes(5));
        var node = await ws.AirlockAsync(Ns, "node", "fetch.mjs", "https://registry.npmjs.org/is-number", $"https://{other}/");
        var refusedInstall = await ws.RunAsync([Ns, "--", "npm", "install", "--no-audit", "--no-fund", "--no-save", "--fetch-retries=0", "--registry", $"https://{other}/", "left-pad"], timeout: TimeSpan.FromMinutes(5));

        install.ShouldSucceed().Stdout.ShouldContain("is-number:true", Case.Sensitive, install.ToString());
        File.Exists(Path.Combine(ws.Project, "node_modules", "is-number", "package.json")).ShouldBeTrue("the package landed in the project");
        var lines = Engines.Lines(node.ShouldSucceed().Stdout);
        lines.ShouldContain("https://registry.npmjs.org/is-number status=200", "Node's own fetch goes through the proxy: " + node);
        lines.ShouldContain(l => l.StartsWith($"https://{other}/ failed=", StringComparison.Ordinal), node.ToString());
        node.Stderr.ShouldContain($"--allow {other}", Case.Sensitive, "the refusal notice says how to allow it: " + node);
        refusedInstall.ExitCode.ShouldNotBe(0, refusedInstall.ToString());
        refusedInstall.Stderr.ShouldContain(other, Case.Sensitive, refusedInstall.ToString());
        File.Exists(Path.Combine(ws.Project, "node_modules", "left-pad", "package.json")).ShouldBeFalse();
    }

    [Fact]
    public async Task An_agents_login_persists_in_the_namespace_home_across_runs()
    {
        // A namespace of this test's own on the shared image: a fresh, empty home.
        await using var ws = Workspace.Create(Engines.Docker);
        var ns = ws.BorrowNamespace(agents.Shared);

        (await ws.RunAsync(["run", "-n", ns, "codex", "login", "--with-api-key"], stdin: "sk-it-persist-4242\n")).ShouldSucceed();
        var status = (await ws.AirlockAsync("run", "-n", ns, "codex", "login", "status")).ShouldSucceed();

        (status.Stdout + status.Stderr).ShouldContain("sk-it-p");
        File.Exists(Path.Combine(ws.NamespaceHome(ns), ".codex", "auth.json")).ShouldBeTrue("codex keeps its login in ~/.codex, the namespace home");
    }

    [Fact]
    public async Task An_agents_interactive_screen_runs_in_a_real_terminal_and_its_exit_code_comes_back()
    {
        await using var ws = Workspace.Create(Engines.Docker);
        var ns = ws.BorrowNamespace(agents.Shared);
        await using var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" run -n {ns} codex; echo EXIT=$?"), columns: 120, rows: 40);

        await tmux.WaitForAsync(c => c.Contains("Welcome to Codex", StringComparison.Ordinal), "codex's sign-in screen", timeout: TimeSpan.FromMinutes(1));
        await tmux.SendKeysAsync(tmux.Target, "C-c");

        var end = await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "codex and airlock to exit");
        // codex quits with 0; on a loaded machine it can instead give up draining the terminal's input on the way out,
        // print its own "Error: ..." line and quit with 1. Either way the code airlock returns must be codex's.
        var codexFailed = TmuxSession.Lines(end).Any(l => l.StartsWith("Error: ", StringComparison.Ordinal));
        end.ShouldContain(codexFailed ? "EXIT=1" : "EXIT=0");
        await Poll.UntilAsync(
            () => Engines.ContainersAsync(Engines.Docker, $"io.airlock.project={ws.Project}"), c => c.Count == 0, "the engine to remove the agent's ended container");
    }

    [Fact]
    public async Task An_agent_left_out_of_the_image_is_refused_with_how_to_add_it()
    {
        await using var ws = NewWorkspace();

        var run = await ws.AirlockAsync("run", "-n", Ns, "aider", "--version");

        run.ShouldBeUserError($"Aider (aider) is not installed in namespace '{Ns}'", "AIRLOCK_WITH_AIDER=1", $"airlock rebuild namespace {Ns}");
    }

    [Fact]
    public async Task An_agent_in_a_namespace_made_from_another_template_is_refused_with_the_rebuild_command()
    {
        var baseNamespace = await shared.GetAsync(Engines.Docker);
        await using var ws = Workspace.Sharing(baseNamespace);

        var run = await ws.AirlockAsync("run", "-n", baseNamespace.Name, "codex", "--version");
        var list = await ws.AirlockAsync("list", "agents", "-n", baseNamespace.Name);

        run.ShouldBeUserError($"is not installed in namespace '{baseNamespace.Name}'", $"airlock rebuild namespace {baseNamespace.Name} --template cli-agents");
        list.ShouldSucceed().Stderr.ShouldContain("no agent manifest");
    }

    [Fact]
    public async Task An_unknown_agent_or_namespace_is_refused_listing_what_exists()
    {
        await using var ws = NewWorkspace();

        (await ws.AirlockAsync("run", "cursor")).ShouldBeUserError("no agent named 'cursor'", "claude, codex, gemini, opencode, crush, pi, qwen, copilot, aider");
        (await ws.AirlockAsync("run", "-n", "it-no-such-ns", "codex")).ShouldBeUserError("no namespace named 'it-no-such-ns'", "airlock create namespace it-no-such-ns cli-agents");
    }
}
