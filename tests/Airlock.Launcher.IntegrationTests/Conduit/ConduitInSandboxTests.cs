using System.Globalization;
using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary>
/// <c>airlock conduit</c> run inside a sandbox (the built airlock and the host's .NET mounted read-only, as docs/conduit.md
/// describes): it works on the same settings as the host and reaches the host's loopback as host.airlock.internal.
/// </summary>
public sealed class ConduitInSandboxTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Inside_a_sandbox_conduit_sees_the_hosts_settings_and_reaches_the_host_loopback(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl, "--namespace", name)).ShouldSucceed();
        var port = server.Port.ToString(CultureInfo.InvariantCulture);

        var shown = JsonNode.Parse((await ws.AirlockAsync(ConduitWorkspace.InSandbox(name, [], "show", "--json"))).ShouldSucceed().Stdout)!;
        var models = JsonNode.Parse((await ws.AirlockAsync(ConduitWorkspace.InSandbox(name, ["--host-port", port], "models", "--json"))).ShouldSucceed().Stdout)!;

        shown["runningOn"]!.GetValue<string>().ShouldBe("sandbox");
        shown["namespace"]!.GetValue<string>().ShouldBe(name);
        shown["settingsFile"]!.GetValue<string>().ShouldBe("/home/airlock/.config/airlock/conduit.json");
        shown["endpoint"]!.GetValue<string>().ShouldBe(server.BaseUrl);
        models["triedFrom"]!.GetValue<string>().ShouldBe("sandbox");
        models["url"]!.GetValue<string>().ShouldBe($"http://host.airlock.internal:{port}/v1");
        models["models"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(server.Models);
        server.Requests.Single().Path.ShouldBe("/v1/models");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Inside_a_sandbox_without_the_port_forwarded_the_error_says_so(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        (await ws.AirlockAsync("conduit", "set", "endpoint", server.BaseUrl, "--namespace", name)).ShouldSucceed();

        var result = await ws.AirlockAsync(ConduitWorkspace.InSandbox(name, [], "models"));

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Message.ShouldContain($"cannot reach the model server at http://host.airlock.internal:{server.Port}/v1/models from inside the sandbox");
        result.Message.ShouldContain($"--host-port {server.Port}");
        server.Requests.ShouldBeEmpty();
    }
}
