using System.Globalization;
using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary><c>airlock conduit models</c> through the real binary against the fake model server, and every way it can fail.</summary>
public sealed class ConduitModelsTests
{
    private static async Task<Workspace> WorkspaceFor(string endpoint)
    {
        var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace();
        (await ws.AirlockAsync("conduit", "set", "endpoint", endpoint)).ShouldSucceed();
        return ws;
    }

    [Fact]
    public async Task Models_lists_what_the_server_serves_as_a_table_and_as_json()
    {
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = await WorkspaceFor(server.BaseUrl);

        var table = (await ws.AirlockAsync("conduit", "models")).ShouldSucceed();
        var json = JsonNode.Parse((await ws.AirlockAsync("conduit", "models", "--json")).ShouldSucceed().Stdout)!;

        foreach (var model in server.Models)
        {
            table.Stdout.ShouldContain(model);
        }

        json["models"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(server.Models);
        json["url"]!.GetValue<string>().ShouldBe(server.BaseUrl);
        json["triedFrom"]!.GetValue<string>().ShouldBe("host");
        server.Requests.Select(r => (r.Method, r.Path)).ShouldBe([("GET", "/v1/models"), ("GET", "/v1/models")]);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_a_bearer_token()
    {
        await using var server = await FakeModelServer.StartAsync();
        await using var ws = await WorkspaceFor(server.BaseUrl);
        (await ws.RunAsync(["conduit", "set", "api-key"], stdin: "sk-bearer-1")).ShouldSucceed();

        (await ws.AirlockAsync("conduit", "models")).ShouldSucceed();

        server.Requests.Single().Authorization.ShouldBe("Bearer sk-bearer-1");
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_named_with_where_it_was_tried_from_exit_3()
    {
        var port = HostNetwork.FreePort();
        await using var ws = await WorkspaceFor($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/v1");

        var result = await ws.AirlockAsync("conduit", "models");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Message.ShouldContain($"cannot reach the model server at http://127.0.0.1:{port}/v1/models from the host");
        result.Message.ShouldContain("fix: start the model server");
    }

    [Theory]
    [InlineData(500, "HTTP 500", "check the model server's log")]
    [InlineData(401, "HTTP 401", "airlock conduit set api-key")]
    [InlineData(404, "HTTP 404", "usually ending in /v1")]
    public async Task An_http_error_is_reported_with_its_status_and_a_fix_exit_3(int status, string said, string fix)
    {
        await using var server = await FakeModelServer.StartAsync();
        server.ModelsStatus = status;
        await using var ws = await WorkspaceFor(server.BaseUrl);

        var result = await ws.AirlockAsync("conduit", "models");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Message.ShouldContain($"the model server at {server.BaseUrl}/models answered {said}");
        result.Message.ShouldContain("fake server refuses");
        result.Message.ShouldContain(fix);
    }

    [Fact]
    public async Task A_server_with_no_models_says_so_exit_2()
    {
        await using var server = await FakeModelServer.StartAsync();
        server.Models.Clear();
        await using var ws = await WorkspaceFor(server.BaseUrl);

        var result = await ws.AirlockAsync("conduit", "models");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Message.ShouldContain($"the model server at {server.BaseUrl}/models serves no models");
        result.Message.ShouldContain("ollama pull");
    }

    [Fact]
    public async Task A_malformed_answer_is_reported_with_what_was_expected_exit_3()
    {
        await using var server = await FakeModelServer.StartAsync();
        server.ModelsBody = """{"models":[{"name":"llama"}]}""";
        await using var ws = await WorkspaceFor(server.BaseUrl);

        var result = await ws.AirlockAsync("conduit", "models");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Message.ShouldContain("answered, but not with an OpenAI model list");
        result.Message.ShouldContain("llama");
    }

    [Fact]
    public async Task Without_an_endpoint_the_error_says_how_to_set_one()
    {
        await using var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace();

        var result = await ws.AirlockAsync("conduit", "models");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Message.ShouldContain("no endpoint set for conduit");
        result.Message.ShouldContain("airlock conduit set endpoint ollama|lmstudio|vllm|llamacpp|URL");
    }
}
