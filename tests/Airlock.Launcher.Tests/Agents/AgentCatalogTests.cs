using Airlock.Launcher.Agents;
using Airlock.Sandboxes.Templates;

namespace Airlock.Launcher.Tests.Agents;

public sealed class AgentCatalogTests
{
    [Fact]
    public void The_catalog_has_the_agent_names_other_features_key_on()
    {
        AgentCatalog.Names.ShouldBe(["claude", "codex", "gemini", "opencode", "crush", "pi", "qwen", "copilot", "aider"]);
    }

    [Theory]
    [InlineData("claude", "claude", "@anthropic-ai/claude-code")]
    [InlineData("codex", "codex", "@openai/codex")]
    [InlineData("gemini", "gemini", "@google/gemini-cli")]
    [InlineData("opencode", "opencode", "opencode-ai")]
    [InlineData("crush", "crush", "@charmland/crush")]
    [InlineData("pi", "pi", "@mariozechner/pi-coding-agent")]
    [InlineData("qwen", "qwen", "@qwen-code/qwen-code")]
    [InlineData("copilot", "copilot", "@github/copilot")]
    [InlineData("aider", "aider", "aider-chat")]
    public void Each_agent_names_its_binary_and_package(string name, string binary, string package)
    {
        var agent = AgentCatalog.Get(name);

        agent.Binary.ShouldBe(binary);
        agent.Package.ShouldBe(package);
        AgentCatalog.ForPackage(package).ShouldBe(agent);
    }

    [Fact]
    public void Only_aider_comes_from_PyPI()
    {
        AgentCatalog.All.Where(a => a.Source == AgentSource.PyPI).Select(a => a.Name).ShouldBe(["aider"]);
    }

    [Fact]
    public void Every_npm_agent_is_installed_by_the_cli_agents_template_at_a_pinned_version()
    {
        var dir = Directory.CreateTempSubdirectory("airlock-agents-template-");
        try
        {
            BakedInTemplates.Extract(AgentCatalog.Template, dir.FullName);
            var dockerfile = File.ReadAllText(Path.Combine(dir.FullName, "Dockerfile"));
            foreach (var agent in AgentCatalog.All.Where(a => a.Source == AgentSource.Npm))
            {
                dockerfile.ShouldContain($"\"{agent.Package}@$", Case.Sensitive, $"{agent.Name}'s package is installed at a version set by an ARG");
            }

            dockerfile.ShouldContain("aider-chat==$AIDER_VERSION");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_unknown_agent_is_refused_with_the_list_of_known_ones()
    {
        var ex = Should.Throw<LauncherException>(() => AgentCatalog.Get("cursor"));

        ex.Message.ShouldContain("no agent named 'cursor'");
        ex.Message.ShouldContain("claude, codex, gemini, opencode, crush, pi, qwen, copilot, aider");
    }

    [Theory]
    [InlineData("claude", ".claude")]
    [InlineData("claude", ".claude.json")]
    [InlineData("codex", ".codex")]
    [InlineData("gemini", ".gemini")]
    [InlineData("opencode", ".config/opencode")]
    [InlineData("opencode", ".local/share/opencode")]
    [InlineData("crush", ".config/crush")]
    [InlineData("crush", ".local/share/crush")]
    [InlineData("pi", ".pi")]
    [InlineData("qwen", ".qwen")]
    [InlineData("copilot", ".copilot")]
    [InlineData("aider", ".aider.conf.yml")]
    public void Config_dirs_are_relative_to_the_home_so_they_persist_in_the_namespace_home(string name, string path)
    {
        AgentCatalog.Get(name).ConfigPaths.ShouldContain(path);
        AgentCatalog.All.SelectMany(a => a.ConfigPaths).ShouldAllBe(p => !Path.IsPathRooted(p) && !p.Contains("..", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("claude", "ANTHROPIC_API_KEY")]
    [InlineData("claude", "ANTHROPIC_BASE_URL")]
    [InlineData("claude", "ANTHROPIC_AUTH_TOKEN")]
    [InlineData("codex", "OPENAI_API_KEY")]
    [InlineData("codex", "OPENAI_BASE_URL")]
    [InlineData("gemini", "GEMINI_API_KEY")]
    [InlineData("gemini", "GOOGLE_API_KEY")]
    [InlineData("gemini", "GOOGLE_CLOUD_PROJECT")]
    [InlineData("qwen", "OPENAI_BASE_URL")]
    [InlineData("copilot", "GH_TOKEN")]
    [InlineData("aider", "AIDER_MODEL")]
    public void Each_agent_reads_its_providers_variables(string name, string variable)
    {
        AgentCatalog.Get(name).Reads(variable).ShouldBeTrue();
    }

    [Theory]
    [InlineData("codex", "ANTHROPIC_API_KEY")]
    [InlineData("claude", "OPENAI_API_KEY")]
    [InlineData("claude", "GITHUB_TOKEN")]
    [InlineData("aider", "AIDER_")]
    public void An_agent_does_not_read_another_providers_variables(string name, string variable)
    {
        AgentCatalog.Get(name).Reads(variable).ShouldBeFalse();
    }

    [Theory]
    [InlineData("CODEX_HOME")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("OPENCODE_CONFIG")]
    [InlineData("PI_CODING_AGENT_DIR")]
    [InlineData("HOME")]
    [InlineData("PATH")]
    public void Variables_holding_host_paths_are_never_on_an_allowlist(string variable)
    {
        AgentCatalog.All.ShouldAllBe(a => !a.Reads(variable));
    }
}
