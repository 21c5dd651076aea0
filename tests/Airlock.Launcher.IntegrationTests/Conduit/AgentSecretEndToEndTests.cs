using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary>
/// Issue 13: a real agent CLI whose key stays on the host. `airlock run codex` with OPENAI_API_KEY set on the host and
/// OPENAI_BASE_URL pointing at the FAKE model server over HTTPS (a test root's certificate, trusted by the airlock
/// process): codex inside gets a placeholder, the server gets the key.
/// </summary>
public sealed class AgentSecretEndToEndTests(CliAgentsNamespace agents) : IClassFixture<CliAgentsNamespace>
{
    [Fact]
    public async Task Codex_reaches_an_https_endpoint_with_the_key_that_only_the_host_has()
    {
        var ns = agents.Shared;
        using var root = new TestCertificateAuthority();
        var address = AddressServer.HostAddress();
        await using var server = await FakeModelServer.StartAsync(address, root.Issue(address.ToString()));
        await using var ws = Workspace.Create(ns.Engine);
        var name = ws.BorrowNamespace(ns, "network: allowlist");
        var key = "sk-host-only-" + Guid.NewGuid().ToString("N");
        ws.Env["SSL_CERT_FILE"] = root.WriteBundle(Path.Combine(ws.Root, "roots.pem"));
        ws.Env["OPENAI_API_KEY"] = key;
        ws.Env["OPENAI_BASE_URL"] = server.BaseUrl;

        // A provider of its own, as a user with another endpoint writes one: codex speaks plain HTTPS to it (the built-in
        // openai provider would first try a WebSocket, which the fake does not serve).
        var provider = $"model_providers.fake={{ name = \"fake\", base_url = \"{server.BaseUrl}\", env_key = \"OPENAI_API_KEY\", wire_api = \"responses\" }}";

        var result = await ws.RunAsync(
            ["run", "--namespace", name, "--allow", $"{address}:{server.Port}", "codex", "exec", "-c", "model_provider=\"fake\"", "-c", provider,
                "-m", "fake-gamma", "--skip-git-repo-check", "Say hello"],
            timeout: TimeSpan.FromMinutes(3));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain(FakeModelServer.Reply, customMessage: result.ToString());
        server.Completions.ShouldNotBeEmpty(result.ToString());
        server.Completions.ShouldAllBe(r => r.Authorization == "Bearer " + key);
        result.Stdout.ShouldNotContain(key);
        ws.FilesHolding(key).ShouldBeEmpty("the namespace home and airlock's state never hold the key");
    }

    [Fact]
    public async Task Conduit_with_a_cloud_endpoint_adds_the_key_from_the_host_and_the_agent_only_sees_a_placeholder()
    {
        var ns = agents.Shared;
        using var root = new TestCertificateAuthority();
        var address = AddressServer.HostAddress();
        await using var server = await FakeModelServer.StartAsync(address, root.Issue(address.ToString()));
        await using var ws = Workspace.Create(ns.Engine);
        var name = ws.BorrowNamespace(ns, $"network:\n  mode: allowlist\n  allow: [\"{address}:{server.Port}\"]");
        var key = "sk-cloud-" + Guid.NewGuid().ToString("N");
        ws.Env["SSL_CERT_FILE"] = root.WriteBundle(Path.Combine(ws.Root, "roots.pem"));
        ws.Env["CLOUD_MODELS_KEY"] = key;
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl, "--namespace", name, "--api-key-from-env", "CLOUD_MODELS_KEY")).ShouldSucceed();

        var result = await ws.RunAsync(
            ["conduit", "launch", "codex", "--namespace", name, "--model", "fake-gamma", "--", "exec", "--skip-git-repo-check", "Say hello"],
            timeout: TimeSpan.FromMinutes(3));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain(FakeModelServer.Reply, customMessage: result.ToString());
        server.Completions.ShouldNotBeEmpty(result.ToString());
        server.Completions.ShouldAllBe(r => r.Authorization == "Bearer " + key);
        ws.FilesHolding(key).ShouldBeEmpty("conduit stores the variable's name, and the agent's config the placeholder");
        var plain = await ws.AirlockAsync("conduit", "set", "endpoint", "http://127.0.0.1:9/v1", "--namespace", name, "--api-key-from-env", "CLOUD_MODELS_KEY");
        plain.ExitCode.ShouldNotBe(0, plain.ToString());
        plain.Stderr.ShouldContain("--api-key-from-env needs an https endpoint", Case.Sensitive, plain.ToString());
    }
}
