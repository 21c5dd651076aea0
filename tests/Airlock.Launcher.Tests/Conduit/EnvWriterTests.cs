using Airlock.Launcher.Conduit.Writers;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Conduit;

/// <summary>Agents configured through their environment alone: nothing is written to their home.</summary>
public sealed class EnvWriterTests
{
    private static readonly AgentTarget Target = new("http://host.airlock.internal:11434/v1", "qwen3:8b", null);

    [Fact]
    public void Claude_gets_the_server_root_a_token_and_the_model_for_every_tier()
    {
        using var home = new TempDirectory();

        var setup = new ClaudeWriter().Configure(home.Path, Target);

        setup.Environment["ANTHROPIC_BASE_URL"].ShouldBe("http://host.airlock.internal:11434");
        setup.Environment["ANTHROPIC_AUTH_TOKEN"].ShouldBe(AgentTarget.PlaceholderKey);
        foreach (var name in new[] { "ANTHROPIC_MODEL", "ANTHROPIC_DEFAULT_OPUS_MODEL", "ANTHROPIC_DEFAULT_SONNET_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL", "ANTHROPIC_SMALL_FAST_MODEL" })
        {
            setup.Environment[name].ShouldBe("qwen3:8b", name);
        }

        setup.Arguments.ShouldBeEmpty();
        WriterAssert.FilesBelow(home.Path).ShouldBeEmpty();
    }

    [Fact]
    public void Qwen_gets_the_openai_variables_and_the_openai_auth_type()
    {
        using var home = new TempDirectory();

        var setup = new QwenWriter().Configure(home.Path, Target with { ApiKey = "sk-test" });

        setup.Environment.ShouldBe(new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = "http://host.airlock.internal:11434/v1",
            ["OPENAI_API_KEY"] = "sk-test",
            ["OPENAI_MODEL"] = "qwen3:8b",
        });
        setup.Arguments.ShouldBe(["--auth-type", "openai"]);
        WriterAssert.FilesBelow(home.Path).ShouldBeEmpty();
    }

    [Fact]
    public void Gemini_gets_the_gateway_root_key_and_model()
    {
        using var home = new TempDirectory();

        var setup = new GeminiWriter().Configure(home.Path, Target);

        setup.Environment.ShouldBe(new Dictionary<string, string>
        {
            ["GOOGLE_GEMINI_BASE_URL"] = "http://host.airlock.internal:11434",
            ["GEMINI_API_KEY"] = AgentTarget.PlaceholderKey,
            ["GEMINI_MODEL"] = "qwen3:8b",
        });
        WriterAssert.FilesBelow(home.Path).ShouldBeEmpty();
    }

    [Fact]
    public void Aider_gets_the_openai_base_and_an_openai_prefixed_model()
    {
        using var home = new TempDirectory();

        var setup = new AiderWriter().Configure(home.Path, Target);

        setup.Environment["OPENAI_API_BASE"].ShouldBe("http://host.airlock.internal:11434/v1");
        setup.Environment["AIDER_MODEL"].ShouldBe("openai/qwen3:8b");
        WriterAssert.FilesBelow(home.Path).ShouldBeEmpty();
    }

    [Fact]
    public void A_base_url_without_v1_is_its_own_root()
    {
        new AgentTarget("https://proxy.example.com/anthropic", "m", null).RootUrl.ShouldBe("https://proxy.example.com/anthropic");
    }
}
