using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary><c>airlock conduit set</c> and <c>show</c> through the real binary, on the host.</summary>
public sealed class ConduitSettingsTests
{
    [Fact]
    public async Task A_preset_is_stored_in_the_namespace_home_and_shown_from_host_and_sandbox()
    {
        await using var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace();

        (await ws.AirlockAsync("conduit", "set", "endpoint", "lmstudio")).ShouldSucceed();
        var shown = JsonNode.Parse((await ws.AirlockAsync("conduit", "show", "--json")).ShouldSucceed().Stdout)!;

        ws.Settings()["endpoint"]!.GetValue<string>().ShouldBe("http://127.0.0.1:1234/v1");
        shown["namespace"]!.GetValue<string>().ShouldBe("agents");
        shown["runningOn"]!.GetValue<string>().ShouldBe("host");
        shown["preset"]!.GetValue<string>().ShouldBe("lmstudio");
        shown["urlFromHost"]!.GetValue<string>().ShouldBe("http://127.0.0.1:1234/v1");
        shown["urlFromSandbox"]!.GetValue<string>().ShouldBe("http://host.airlock.internal:1234/v1");
        shown["forwardedHostPort"]!.GetValue<int>().ShouldBe(1234);
        shown["settingsFile"]!.GetValue<string>().ShouldBe(ws.SettingsFile());
    }

    [Fact]
    public async Task A_bad_url_is_refused_with_exit_2_and_nothing_is_stored()
    {
        await using var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace();

        var result = await ws.AirlockAsync("conduit", "set", "endpoint", "htp:/oops");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Message.ShouldContain("endpoint 'htp:/oops'");
        result.Message.ShouldContain("fix:");
        File.Exists(ws.SettingsFile()).ShouldBeFalse();
    }

    [Fact]
    public async Task The_api_key_is_read_from_stdin_stored_owner_only_and_never_printed()
    {
        await using var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace();
        const string Key = "sk-conduit-secret-4711";

        (await ws.RunAsync(["conduit", "set", "api-key"], stdin: Key + "\n")).ShouldSucceed();
        var table = (await ws.AirlockAsync("conduit", "show")).ShouldSucceed();
        var json = (await ws.AirlockAsync("conduit", "show", "--json")).ShouldSucceed();

        File.GetUnixFileMode(ws.SettingsFile()).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        ws.Settings()["apiKey"]!.GetValue<string>().ShouldBe(Key);
        (table.Stdout + table.Stderr + json.Stdout + json.Stderr).ShouldNotContain(Key);
        JsonNode.Parse(json.Stdout)!["apiKeySet"]!.GetValue<bool>().ShouldBeTrue();

        (await ws.AirlockAsync("conduit", "set", "api-key", "--clear")).ShouldSucceed();
        ws.Settings()["apiKey"].ShouldBeNull();
    }

    [Fact]
    public async Task Another_namespace_is_chosen_with_namespace_and_a_missing_one_is_named()
    {
        await using var ws = Workspace.Create(Engines.Podman);
        ws.RegisterNamespace("work");

        (await ws.AirlockAsync("conduit", "set", "endpoint", "vllm", "--namespace", "work")).ShouldSucceed();
        var missing = await ws.AirlockAsync("conduit", "show");

        ws.Settings("work")["endpoint"]!.GetValue<string>().ShouldBe("http://127.0.0.1:8000/v1");
        missing.ExitCode.ShouldBe(2, missing.ToString());
        missing.Message.ShouldContain("no namespace 'agents'");
        missing.Message.ShouldContain("airlock create namespace agents cli-agents");
    }
}
