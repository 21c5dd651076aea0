using Airlock.Launcher.Conduit;
using Airlock.Launcher.Conduit.Writers;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Conduit;

public sealed class CodexWriterTests
{
    private static readonly AgentTarget Target = new("http://host.airlock.internal:1234/v1", "qwen/qwen3-coder", "sk-1");

    [Fact]
    public void A_fresh_home_gets_the_airlock_profile_with_a_responses_provider()
    {
        using var home = new TempDirectory();

        var setup = new CodexWriter().Configure(home.Path, Target);

        var file = home.Combine(".codex", "airlock.config.toml");
        setup.Files.ShouldBe([file]);
        File.ReadAllText(file).ShouldBe(
            """
            # Written by `airlock conduit launch codex`; rewritten on every launch. Put your own settings in config.toml.
            model = "qwen/qwen3-coder"
            model_provider = "airlock"

            [model_providers.airlock]
            name = "Airlock conduit"
            base_url = "http://host.airlock.internal:1234/v1"
            env_key = "AIRLOCK_CONDUIT_API_KEY"
            wire_api = "responses"

            """.ReplaceLineEndings("\n"));
        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        setup.Arguments.ShouldBe(["--profile", "airlock"]);
        setup.Environment.ShouldBe(new Dictionary<string, string> { ["AIRLOCK_CONDUIT_API_KEY"] = "sk-1" });
    }

    [Fact]
    public void The_users_config_toml_is_never_touched_and_a_second_write_updates_the_profile()
    {
        using var home = new TempDirectory();
        const string UserConfig = "model = \"gpt-5\"\n[mcp_servers.docs]\ncommand = \"docs-mcp\"\n";
        var config = home.Write(".codex/config.toml", UserConfig);

        new CodexWriter().Configure(home.Path, Target);
        new CodexWriter().Configure(home.Path, Target with { Model = "other-model" });

        File.ReadAllText(config).ShouldBe(UserConfig);
        var profile = File.ReadAllText(home.Combine(".codex", "airlock.config.toml"));
        profile.ShouldContain("model = \"other-model\"");
        profile.ShouldNotContain("qwen/qwen3-coder");
        WriterAssert.FilesBelow(home.Path).ShouldBe([".codex/airlock.config.toml", ".codex/config.toml"]);
    }

    [Fact]
    public void A_profile_file_airlock_did_not_write_is_left_untouched()
    {
        using var home = new TempDirectory();
        var file = home.Write(".codex/airlock.config.toml", "model = \"mine\"\n");

        var ex = Should.Throw<ConduitException>(() => new CodexWriter().Configure(home.Path, Target));

        ex.Message.ShouldContain(file);
        ex.Message.ShouldContain("not written by Airlock");
        File.ReadAllText(file).ShouldBe("model = \"mine\"\n");
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("tab\there", "\"tab\\u0009here\"")]
    public void Values_are_written_as_toml_basic_strings(string value, string toml)
    {
        CodexWriter.Quote(value).ShouldBe(toml);
    }
}
