using Airlock.Launcher.Agents;

namespace Airlock.Launcher.Tests.Agents;

public sealed class AgentEnvironmentTests
{
    private static AgentEnvironment Resolve(string agent, Dictionary<string, string> host) =>
        AgentEnvironment.Resolve(AgentCatalog.Get(agent), host.Keys, n => host.GetValueOrDefault(n));

    [Fact]
    public void Only_the_agents_allowlisted_variables_that_are_set_on_the_host_are_forwarded()
    {
        var env = Resolve("codex", new()
        {
            ["OPENAI_API_KEY"] = "sk-1",
            ["OPENAI_BASE_URL"] = "http://host.airlock.internal:11434/v1",
            ["ANTHROPIC_API_KEY"] = "not-codex's",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["HOME"] = "/root",
            ["PATH"] = "/usr/bin",
        });

        env.Variables.ShouldBe(new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-1", ["OPENAI_BASE_URL"] = "http://host.airlock.internal:11434/v1" });
        env.Allowlisted.ShouldBe(["OPENAI_API_KEY", "OPENAI_BASE_URL"]);
        env.OptedIn.ShouldBeEmpty();
    }

    [Fact]
    public void An_empty_value_on_the_host_is_forwarded_as_empty()
    {
        Resolve("claude", new() { ["ANTHROPIC_BASE_URL"] = "" }).Variables.ShouldBe(new Dictionary<string, string> { ["ANTHROPIC_BASE_URL"] = "" });
    }

    [Fact]
    public void AIRLOCK_ENV_NAME_forwards_NAME_without_the_prefix()
    {
        var env = Resolve("claude", new() { ["AIRLOCK_ENV_HTTPS_PROXY"] = "http://proxy:3128", ["HTTPS_PROXY"] = "not-this" });

        env.Variables.ShouldBe(new Dictionary<string, string> { ["HTTPS_PROXY"] = "http://proxy:3128" });
        env.OptedIn.ShouldBe(["HTTPS_PROXY"]);
        env.Variables.Keys.ShouldNotContain("AIRLOCK_ENV_HTTPS_PROXY");
    }

    [Fact]
    public void An_opt_in_wins_over_the_allowlisted_host_value_of_the_same_name()
    {
        var env = Resolve("codex", new() { ["OPENAI_API_KEY"] = "host", ["AIRLOCK_ENV_OPENAI_API_KEY"] = "sandbox" });

        env.Variables["OPENAI_API_KEY"].ShouldBe("sandbox");
        env.Allowlisted.ShouldBeEmpty();
        env.OptedIn.ShouldBe(["OPENAI_API_KEY"]);
    }

    [Fact]
    public void A_prefix_entry_forwards_every_variable_with_that_prefix()
    {
        var env = Resolve("aider", new() { ["AIDER_MODEL"] = "gpt-4o", ["AIDER_DARK_MODE"] = "true", ["AIDERX"] = "no" });

        env.Variables.Keys.ShouldBe(["AIDER_DARK_MODE", "AIDER_MODEL"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("AIRLOCK_ENV_")]
    [InlineData("AIRLOCK_ENV_1ABC")]
    [InlineData("AIRLOCK_ENV_A-B")]
    public void A_malformed_opt_in_is_refused_naming_the_variable(string hostName)
    {
        var ex = Should.Throw<LauncherException>(() => Resolve("claude", new() { [hostName] = "x", ["AIRLOCK_ENV_OK"] = "1" }));

        ex.Message.ShouldContain("$" + hostName);
        ex.Message.ShouldContain("AIRLOCK_ENV_NAME=value");
    }

    [Fact]
    public void As_flags_each_variable_becomes_NAME_equals_VALUE_keeping_equals_signs_in_values()
    {
        var env = Resolve("codex", new() { ["OPENAI_BASE_URL"] = "https://example.test/v1?a=b" });

        env.AsFlags().ShouldBe(["OPENAI_BASE_URL=https://example.test/v1?a=b"]);
    }

    [Fact]
    public void Provider_keys_are_secrets_never_plain_flags_unless_opted_in_through_AIRLOCK_ENV()
    {
        var env = Resolve("codex", new() { ["OPENAI_API_KEY"] = "sk-real", ["OPENROUTER_API_KEY"] = "sk-router", ["AIRLOCK_ENV_OPENROUTER_API_KEY"] = "sk-plain" });

        env.Secrets.ShouldBe(["OPENAI_API_KEY"]);
        env.AsFlags().ShouldBe(["OPENROUTER_API_KEY=sk-plain"]);
    }

    [Fact]
    public void Claude_gets_the_hosts_AWS_keys_only_when_Bedrock_is_switched_on()
    {
        var host = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk", ["AWS_ACCESS_KEY_ID"] = "id", ["AWS_SECRET_ACCESS_KEY"] = "secret" };

        Resolve("claude", host).Variables.Keys.ShouldBe(["ANTHROPIC_API_KEY"]);
        Resolve("claude", new(host) { ["CLAUDE_CODE_USE_BEDROCK"] = "0" }).Variables.Keys.ShouldNotContain("AWS_SECRET_ACCESS_KEY");
        Resolve("claude", new(host) { ["CLAUDE_CODE_USE_BEDROCK"] = "1" }).Variables.Keys
            .ShouldBe(["ANTHROPIC_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "CLAUDE_CODE_USE_BEDROCK"], ignoreOrder: true);
    }
}
