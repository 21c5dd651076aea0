using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary>
/// Real agents from the cli-agents template started by `airlock conduit launch`, in a sandbox, against the FAKE model
/// server on the host's loopback: the agent's own request must reach the server with the chosen model, and the server's
/// answer the terminal.
/// </summary>
public sealed class ConduitAgentsEndToEndTests(CliAgentsNamespace agents) : IClassFixture<CliAgentsNamespace>
{
    public static TheoryData<string, string, string[]> Agents => new()
    {
        { "codex", "/v1/responses", ["exec", "--skip-git-repo-check", "Say hello"] },
        { "opencode", "/v1/chat/completions", ["run", "Say hello"] },
        { "pi", "/v1/chat/completions", ["-p", "Say hello"] },
    };

    [Theory]
    [MemberData(nameof(Agents))]
    public async Task The_agents_request_reaches_the_endpoint_with_the_chosen_model_and_its_answer_is_printed(string agent, string path, string[] args)
    {
        var ns = agents.Shared;
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(ns.Engine);
        // Behind the egress policy, as a new namespace is: the endpoint is a granted host port, nothing else is listed.
        var name = ws.BorrowNamespace(ns, "network: allowlist");
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl, "--namespace", name)).ShouldSucceed();

        var result = await ws.RunAsync(["conduit", "launch", agent, "--namespace", name, "--model", "fake-gamma", "--", .. args], timeout: TimeSpan.FromMinutes(5));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain(FakeModelServer.Reply, customMessage: result.ToString());
        var completions = server.Completions;
        completions.ShouldNotBeEmpty(result.ToString());
        completions.ShouldAllBe(r => r.Path == path && r.Model == "fake-gamma");
        ws.Settings(name)["lastModels"]![agent]!.GetValue<string>().ShouldBe("fake-gamma");
        await Poll.UntilAsync(
            () => Engines.ContainersAsync(ns.Engine, $"io.airlock.project={ws.Project}"), c => c.Count == 0, "the engine to remove the ended launch's sandbox");
    }

    [Fact]
    public async Task Inside_a_sandbox_launch_runs_the_agent_right_there_against_the_forwarded_endpoint()
    {
        var ns = agents.Shared;
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(ns.Engine);
        var name = ws.BorrowNamespace(ns);
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl, "--namespace", name)).ShouldSucceed();
        var port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await ws.RunAsync(
            ConduitWorkspace.InSandbox(name, ["--host-port", port], "launch", "pi", "--model", "fake-alpha", "--", "-p", "Say hello"),
            timeout: TimeSpan.FromMinutes(5));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain(FakeModelServer.Reply, customMessage: result.ToString());
        server.Completions.ShouldNotBeEmpty(result.ToString());
        server.Completions.ShouldAllBe(r => r.Path == "/v1/chat/completions" && r.Model == "fake-alpha");
        ws.Settings(name)["lastModels"]!["pi"]!.GetValue<string>().ShouldBe("fake-alpha");
    }
}
