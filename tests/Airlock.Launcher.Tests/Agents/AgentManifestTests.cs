using Airlock.Launcher.Agents;

namespace Airlock.Launcher.Tests.Agents;

public sealed class AgentManifestTests
{
    [Fact]
    public void Installed_packages_map_to_agents_and_missing_ones_have_no_version()
    {
        var manifest = AgentManifest.Parse(
            """{ "schema": 1, "node": "24.21.0", "packages": { "@openai/codex": "0.169.0", "npm": "11.21.2", "aider-chat": "0.86.2" } }""",
            "test");

        manifest.NodeVersion.ShouldBe("24.21.0");
        var versions = manifest.Agents.ToDictionary(a => a.Agent.Name, a => a.Version);
        versions["codex"].ShouldBe("0.169.0");
        versions["aider"].ShouldBe("0.86.2");
        versions["claude"].ShouldBeNull();
        versions.Keys.ShouldBe(AgentCatalog.Names);
    }

    [Fact]
    public void A_manifest_that_is_not_JSON_is_reported_with_where_it_was_read_and_the_fix()
    {
        var ex = Should.Throw<LauncherException>(() => AgentManifest.Parse("{ not json", "localhost/airlock:agents:/usr/local/share/airlock/agents.json"));

        ex.Message.ShouldContain("localhost/airlock:agents:/usr/local/share/airlock/agents.json");
        ex.Message.ShouldContain("rebuild");
    }
}
