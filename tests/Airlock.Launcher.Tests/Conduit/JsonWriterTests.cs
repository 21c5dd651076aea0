using Airlock.Launcher.Conduit;
using Airlock.Launcher.Conduit.Writers;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Conduit;

/// <summary>Agents whose JSON config files get a provider named airlock, with the user's own entries kept as they are.</summary>
public sealed class JsonWriterTests
{
    private static readonly AgentTarget Target = new("http://host.airlock.internal:11434/v1", "qwen3:8b", null);

    public static TheoryData<string, string> WrittenFiles => new()
    {
        { "opencode", OpenCodeWriter.RelativePath },
        { "pi", PiWriter.RelativePath },
        { "crush", CrushWriter.ConfigPath },
        { "crush", CrushWriter.DataPath },
    };

    [Fact]
    public void OpenCode_on_a_fresh_home_gets_an_openai_compatible_provider_and_the_model_through_its_env()
    {
        using var home = new TempDirectory();

        var setup = new OpenCodeWriter().Configure(home.Path, Target);

        var json = WriterAssert.Json(home.Combine(OpenCodeWriter.RelativePath));
        var provider = json["provider"]!["airlock"]!;
        provider["npm"]!.GetValue<string>().ShouldBe("@ai-sdk/openai-compatible");
        provider["options"]!["baseURL"]!.GetValue<string>().ShouldBe("http://host.airlock.internal:11434/v1");
        provider["options"]!["apiKey"]!.GetValue<string>().ShouldBe("{env:AIRLOCK_CONDUIT_API_KEY}");
        provider["models"]!["qwen3:8b"].ShouldNotBeNull();
        json["model"].ShouldBeNull();
        setup.Environment["OPENCODE_CONFIG_CONTENT"].ShouldBe("""{"model":"airlock/qwen3:8b"}""");
        setup.Environment["AIRLOCK_CONDUIT_API_KEY"].ShouldBe(AgentTarget.PlaceholderKey);
    }

    [Fact]
    public void Pi_on_a_fresh_home_gets_a_chat_completions_provider_chosen_by_flags()
    {
        using var home = new TempDirectory();

        var setup = new PiWriter().Configure(home.Path, Target with { ApiKey = "sk-9" });

        var provider = WriterAssert.Json(home.Combine(PiWriter.RelativePath))["providers"]!["airlock"]!;
        provider["baseUrl"]!.GetValue<string>().ShouldBe("http://host.airlock.internal:11434/v1");
        provider["api"]!.GetValue<string>().ShouldBe("openai-completions");
        provider["apiKey"]!.GetValue<string>().ShouldBe("AIRLOCK_CONDUIT_API_KEY");
        provider["models"]!.AsArray().Single()!["id"]!.GetValue<string>().ShouldBe("qwen3:8b");
        setup.Arguments.ShouldBe(["--provider", "airlock", "--model", "qwen3:8b"]);
        setup.Environment["AIRLOCK_CONDUIT_API_KEY"].ShouldBe("sk-9");
        File.ReadAllText(home.Combine(PiWriter.RelativePath)).ShouldNotContain("sk-9");
    }

    [Fact]
    public void Crush_on_a_fresh_home_gets_a_provider_and_the_model_in_its_picker_state()
    {
        using var home = new TempDirectory();

        var setup = new CrushWriter().Configure(home.Path, Target);

        var provider = WriterAssert.Json(home.Combine(CrushWriter.ConfigPath))["providers"]!["airlock"]!;
        provider["type"]!.GetValue<string>().ShouldBe("openai-compat");
        provider["base_url"]!.GetValue<string>().ShouldBe("http://host.airlock.internal:11434/v1");
        provider["api_key"]!.GetValue<string>().ShouldBe("$AIRLOCK_CONDUIT_API_KEY");
        provider["models"]!.AsArray().Single()!["id"]!.GetValue<string>().ShouldBe("qwen3:8b");
        var models = WriterAssert.Json(home.Combine(CrushWriter.DataPath))["models"]!;
        models["large"]!["model"]!.GetValue<string>().ShouldBe("qwen3:8b");
        models["large"]!["provider"]!.GetValue<string>().ShouldBe("airlock");
        models["small"]!["provider"]!.GetValue<string>().ShouldBe("airlock");
        setup.Files.Count.ShouldBe(2);
    }

    [Fact]
    public void OpenCode_keeps_the_users_settings_and_providers_and_updates_its_own_on_a_second_write()
    {
        using var home = new TempDirectory();
        var file = home.Write(OpenCodeWriter.RelativePath, """
            {
              "$schema": "https://opencode.ai/config.json",
              "theme": "tokyonight",
              "model": "anthropic/claude-sonnet-4-5",
              "provider": { "mine": { "npm": "@ai-sdk/openai-compatible", "options": { "baseURL": "https://mine.example/v1" } } },
              "mcp": { "docs": { "type": "local", "command": ["docs-mcp"] } }
            }
            """);

        new OpenCodeWriter().Configure(home.Path, Target);
        new OpenCodeWriter().Configure(home.Path, Target with { Model = "second", BaseUrl = "http://host.airlock.internal:9999/v1" });

        var json = WriterAssert.Json(file);
        json["theme"]!.GetValue<string>().ShouldBe("tokyonight");
        json["model"]!.GetValue<string>().ShouldBe("anthropic/claude-sonnet-4-5");
        json["provider"]!["mine"]!["options"]!["baseURL"]!.GetValue<string>().ShouldBe("https://mine.example/v1");
        json["mcp"]!["docs"]!["command"]!.AsArray().Single()!.GetValue<string>().ShouldBe("docs-mcp");
        var ours = json["provider"]!["airlock"]!;
        ours["options"]!["baseURL"]!.GetValue<string>().ShouldBe("http://host.airlock.internal:9999/v1");
        ours["models"]!.AsObject().Select(kv => kv.Key).ShouldBe(["second"]);
    }

    [Fact]
    public void Pi_keeps_the_users_providers_and_updates_its_own_on_a_second_write()
    {
        using var home = new TempDirectory();
        var file = home.Write(PiWriter.RelativePath, """{ "providers": { "ollama": { "baseUrl": "http://localhost:11434/v1", "api": "openai-completions", "apiKey": "ollama", "models": [ { "id": "llama3.1:8b" } ] } } }""");

        new PiWriter().Configure(home.Path, Target);
        new PiWriter().Configure(home.Path, Target with { Model = "second" });

        var providers = WriterAssert.Json(file)["providers"]!;
        providers["ollama"]!["models"]!.AsArray().Single()!["id"]!.GetValue<string>().ShouldBe("llama3.1:8b");
        providers["airlock"]!["models"]!.AsArray().Single()!["id"]!.GetValue<string>().ShouldBe("second");
    }

    [Fact]
    public void Crush_keeps_the_users_providers_options_and_other_state_and_updates_its_own_on_a_second_write()
    {
        using var home = new TempDirectory();
        var config = home.Write(CrushWriter.ConfigPath, """{ "providers": { "deepseek": { "type": "openai-compat", "base_url": "https://api.deepseek.com/v1", "api_key": "$DEEPSEEK_API_KEY", "models": [] } }, "options": { "debug": true } }""");
        var data = home.Write(CrushWriter.DataPath, """{ "recent_models": { "large": [ { "model": "x", "provider": "y" } ] }, "models": { "large": { "model": "x", "provider": "y" } } }""");

        new CrushWriter().Configure(home.Path, Target);
        new CrushWriter().Configure(home.Path, Target with { Model = "second" });

        var configJson = WriterAssert.Json(config);
        configJson["providers"]!["deepseek"]!["base_url"]!.GetValue<string>().ShouldBe("https://api.deepseek.com/v1");
        configJson["options"]!["debug"]!.GetValue<bool>().ShouldBeTrue();
        configJson["providers"]!["airlock"]!["models"]!.AsArray().Single()!["id"]!.GetValue<string>().ShouldBe("second");
        var dataJson = WriterAssert.Json(data);
        dataJson["recent_models"]!["large"]!.AsArray().Single()!["provider"]!.GetValue<string>().ShouldBe("y");
        dataJson["models"]!["large"]!["model"]!.GetValue<string>().ShouldBe("second");
    }

    [Theory]
    [MemberData(nameof(WrittenFiles))]
    public void An_invalid_file_is_left_untouched_and_named_and_nothing_else_is_written(string agent, string relativePath)
    {
        using var home = new TempDirectory();
        const string Broken = "{ \"providers\": { \"x\": ";
        var file = home.Write(relativePath, Broken);

        var ex = Should.Throw<ConduitException>(() => AgentWriters.Get(agent).Configure(home.Path, Target));

        ex.Message.ShouldStartWith(file);
        ex.Message.ShouldContain("untouched");
        File.ReadAllText(file).ShouldBe(Broken);
        WriterAssert.FilesBelow(home.Path).ShouldBe([relativePath]);
    }

    [Theory]
    [MemberData(nameof(WrittenFiles))]
    public void A_file_with_comments_is_left_untouched_rather_than_losing_them(string agent, string relativePath)
    {
        using var home = new TempDirectory();
        const string Commented = "{\n  // my favourite theme\n  \"theme\": \"x\",\n}\n";
        var file = home.Write(relativePath, Commented);

        var ex = Should.Throw<ConduitException>(() => AgentWriters.Get(agent).Configure(home.Path, Target));

        ex.Message.ShouldContain("comments");
        File.ReadAllText(file).ShouldBe(Commented);
    }

    [Fact]
    public void A_user_value_where_airlock_needs_an_object_is_refused_and_kept()
    {
        using var home = new TempDirectory();
        var file = home.Write(PiWriter.RelativePath, """{ "providers": "see elsewhere" }""");

        var ex = Should.Throw<ConduitException>(() => new PiWriter().Configure(home.Path, Target));

        ex.Message.ShouldContain("'providers' is not a JSON object");
        File.ReadAllText(file).ShouldBe("""{ "providers": "see elsewhere" }""");
    }

    [Fact]
    public void Non_ascii_and_special_characters_in_user_values_survive()
    {
        using var home = new TempDirectory();
        var file = home.Write(OpenCodeWriter.RelativePath, """{ "instructions": ["règles <strict> & \"quotes\" + 日本"] }""");

        new OpenCodeWriter().Configure(home.Path, Target);

        WriterAssert.Json(file)["instructions"]!.AsArray().Single()!.GetValue<string>().ShouldBe("règles <strict> & \"quotes\" + 日本");
        File.ReadAllText(file).ShouldContain("règles <strict> & \\\"quotes\\\" + 日本");
    }

    [Fact]
    public void Unknown_and_unsupported_agents_are_refused_with_the_list()
    {
        Should.Throw<ConduitException>(() => AgentWriters.Get("nope")).HowToFix.ShouldContain("claude, codex, opencode, crush, pi, gemini, qwen, aider");
        Should.Throw<ConduitException>(() => AgentWriters.Get("copilot")).Message.ShouldContain("GitHub");
    }

    [Fact]
    public void Every_writer_is_an_agent_of_the_catalog_and_starts_its_binary()
    {
        foreach (var writer in AgentWriters.All)
        {
            Airlock.Launcher.Agents.AgentCatalog.Get(writer.Agent).Binary.ShouldBe(writer.Command, writer.Agent);
        }
    }
}
