using System.Globalization;
using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary><c>airlock conduit launch</c> with the real binary: the model picker in a real terminal, and its errors.</summary>
public sealed class ConduitLaunchTests(SharedNamespaces shared)
{
    [Fact]
    public async Task Without_a_terminal_or_model_the_error_lists_the_models_and_nothing_is_written()
    {
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace();
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl)).ShouldSucceed();

        var result = await ws.AirlockAsync("conduit", "launch", "opencode");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Message.ShouldContain("no --model given and no terminal to ask on; the endpoint serves: fake-alpha, fake-beta, fake-gamma");
        result.Message.ShouldContain("airlock conduit launch opencode --model fake-alpha");
        ws.HomeFiles().ShouldBe([".config/airlock/conduit.json"]);
    }

    [Fact]
    public async Task An_unknown_agent_is_refused_before_anything_is_asked()
    {
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace();
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl)).ShouldSucceed();

        var result = await ws.AirlockAsync("conduit", "launch", "vim", "--model", "fake-alpha");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Message.ShouldContain("conduit does not know an agent named 'vim'");
        server.Requests.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_picker_chooses_with_the_arrows_and_offers_the_agents_last_model_first(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl, "--namespace", name)).ShouldSucceed();

        // The base image has no agents: the launch gets as far as the sandbox, which says pi is not installed.
        await using (var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" conduit launch pi --namespace {name}; echo EXIT=$?")))
        {
            await tmux.WaitForAsync(c => c.Contains("Model for pi", StringComparison.Ordinal) && c.Contains("fake-gamma", StringComparison.Ordinal), "the model picker");
            await tmux.SendKeysAsync(tmux.Target, "Down");
            await tmux.SendKeysAsync(tmux.Target, "Enter");
            var end = await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "the launch to end", timeout: TimeSpan.FromMinutes(2));
            end.ShouldContain("EXIT=2", customMessage: end);
            end.ShouldContain($"pi (pi) is not installed in namespace '{name}'");
            end.ShouldContain("--template cli-agents");
        }

        ws.Settings(name)["lastModels"]!["pi"]!.GetValue<string>().ShouldBe("fake-beta");
        var models = JsonNode.Parse(File.ReadAllText(Path.Combine(ws.NamespaceHome(name), ".pi", "agent", "models.json")))!;
        models["providers"]!["airlock"]!["models"]![0]!["id"]!.GetValue<string>().ShouldBe("fake-beta");
        models["providers"]!["airlock"]!["baseUrl"]!.GetValue<string>().ShouldBe($"http://host.airlock.internal:{server.Port.ToString(CultureInfo.InvariantCulture)}/v1");

        await using (var tmux = await TmuxSession.StartAsync(ws.Script($"\"$AIRLOCK\" conduit launch pi --namespace {name}; echo EXIT=$?")))
        {
            var picker = await tmux.WaitForAsync(c => c.Contains("fake-gamma", StringComparison.Ordinal), "the model picker again");
            var first = TmuxSession.Lines(picker).First(l => l.Contains("fake-", StringComparison.Ordinal));
            first.ShouldContain("fake-beta (last used)", customMessage: picker);
            await tmux.SendKeysAsync(tmux.Target, "Enter");
            (await tmux.WaitForAsync(c => c.Contains("EXIT=", StringComparison.Ordinal), "the second launch to end", timeout: TimeSpan.FromMinutes(2))).ShouldContain("EXIT=2");
        }

        ws.Settings(name)["lastModels"]!["pi"]!.GetValue<string>().ShouldBe("fake-beta");
        await Poll.UntilAsync(
            () => Engines.ContainersAsync(engine, $"io.airlock.project={ws.Project}"), c => c.Count == 0, "the engine to remove the ended launch's sandbox");
    }
}
