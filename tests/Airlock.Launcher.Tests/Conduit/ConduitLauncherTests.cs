using Airlock.Launcher.Conduit;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Conduit;

public sealed class ConduitLauncherTests
{
    [Fact]
    public void From_the_host_the_agent_gets_the_sandbox_url_and_the_endpoint_port_is_forwarded()
    {
        using var home = new TempDirectory();
        var location = new ConduitLocation(ConduitSite.Host, "agents", home.Path);
        location.Store.Save(new ConduitSettings { Endpoint = "http://127.0.0.1:11434/v1", Preset = "ollama" });

        var launch = ConduitLauncher.Prepare(location, "pi", "qwen3", ["-p", "hello"]);

        launch.Command.ShouldBe(["pi", "--provider", "airlock", "--model", "qwen3", "-p", "hello"]);
        launch.HostPorts.ShouldBe([11434]);
        launch.Namespace.ShouldBe("agents");
        File.ReadAllText(home.Combine(".pi", "agent", "models.json")).ShouldContain("http://host.airlock.internal:11434/v1");
        location.Store.Load().LastModels["pi"].ShouldBe("qwen3");
    }

    [Fact]
    public void Inside_a_sandbox_no_port_is_asked_for()
    {
        using var home = new TempDirectory();
        var location = new ConduitLocation(ConduitSite.Sandbox, "agents", home.Path);
        location.Store.Save(new ConduitSettings { Endpoint = "http://127.0.0.1:1234/v1" });

        var launch = ConduitLauncher.Prepare(location, "qwen", "m", []);

        launch.HostPorts.ShouldBeEmpty();
        launch.Environment["OPENAI_BASE_URL"].ShouldBe("http://host.airlock.internal:1234/v1");
    }

    [Fact]
    public void A_remote_endpoint_forwards_nothing_and_is_used_as_is()
    {
        using var home = new TempDirectory();
        var location = new ConduitLocation(ConduitSite.Host, "agents", home.Path);
        location.Store.Save(new ConduitSettings { Endpoint = "https://models.example.com/v1", ApiKey = "sk-remote" });

        var launch = ConduitLauncher.Prepare(location, "claude", "m", []);

        launch.HostPorts.ShouldBeEmpty();
        launch.Environment["ANTHROPIC_BASE_URL"].ShouldBe("https://models.example.com");
        launch.Environment["ANTHROPIC_AUTH_TOKEN"].ShouldBe("sk-remote");
    }

    [Fact]
    public void Without_an_endpoint_nothing_is_written_and_the_error_says_how_to_set_one()
    {
        using var home = new TempDirectory();
        var location = new ConduitLocation(ConduitSite.Host, "agents", home.Path);

        var ex = Should.Throw<ConduitException>(() => ConduitLauncher.Prepare(location, "pi", "m", []));

        ex.HowToFix.ShouldContain("airlock conduit set endpoint");
        WriterAssert.FilesBelow(home.Path).ShouldBeEmpty();
    }
}
