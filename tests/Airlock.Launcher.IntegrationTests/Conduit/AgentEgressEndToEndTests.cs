using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary>
/// Issue 12: a real agent CLI behind the allowlist does not reach a model endpoint the list does not name. codex, told
/// (as a user would in its config) to give up on the first failure, asks the FAKE model server on one of the host's
/// addresses; the policy point refuses it, the server hears nothing, and the session's notice says how to allow it.
/// </summary>
public sealed class AgentEgressEndToEndTests(CliAgentsNamespace agents) : IClassFixture<CliAgentsNamespace>
{
    [Fact]
    public async Task Codex_does_not_reach_a_model_endpoint_the_allowlist_does_not_name_and_the_user_is_told_how_to_allow_it()
    {
        var ns = agents.Shared;
        var address = AddressServer.HostAddress();
        await using var server = await FakeModelServer.StartAsync(address);
        await using var ws = Workspace.Create(ns.Engine);
        var name = ws.BorrowNamespace(ns, "network: allowlist");
        var provider = $"model_providers.fake={{ name = \"fake\", base_url = \"{server.BaseUrl}\", env_key = \"FAKE_KEY\", wire_api = \"responses\", request_max_retries = 0, stream_max_retries = 0 }}";
        ws.Env["FAKE_KEY"] = "not-a-secret";

        var result = await ws.RunAsync(
            ["run", "--namespace", name, "-e", "FAKE_KEY", "codex", "exec", "-c", "model_provider=\"fake\"", "-c", provider, "-m", "fake-gamma", "--skip-git-repo-check", "Say hello"],
            timeout: TimeSpan.FromMinutes(3));

        result.ExitCode.ShouldNotBe(0, result.ToString());
        result.Stdout.ShouldNotContain(FakeModelServer.Reply);
        server.Requests.ShouldBeEmpty(result.ToString());
        result.Stderr.ShouldContain($"--allow {address}", Case.Sensitive, "the session's notice names the refused endpoint and how to allow it: " + result);
    }
}
