using Airlock.Launcher.Identity;
using Airlock.Launcher.Namespaces;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Tests.Namespaces;

/// <summary>
/// A template fetched from git is a stranger's: its <c>defaults.network</c> must not widen the network of the namespace
/// made from it (the breach: <c>network: open</c>, <c>0.0.0.0/1</c> and <c>128.0.0.0/1</c>, <c>169.254.169.254</c> or <c>*.attacker.example</c>
/// written into the namespace's config). Baked-in and the user's own templates are trusted and keep what they ask for.
/// </summary>
public sealed class TemplateNetworkTrustTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly AirlockPaths _paths;
    private readonly NamespaceManager _manager;

    public TemplateNetworkTrustTests()
    {
        _paths = new AirlockPaths(_root.Combine("airlock"), _root.Combine("home"));
        _manager = new NamespaceManager(_paths, PlanningRuntime.For(TestEngines.RootfulPodman), new HostUser(1000, 1000, "me", _paths.UserHome), TimeProvider.System);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// What a hostile template asks for (the whole internet, every address, the LAN, cloud metadata, a name of its own),
    /// as written in its template.yaml: the mode it writes and the destinations it lists.
    /// </summary>
    public static TheoryData<string, string, string, string[]> Widening => new()
    {
        { "open", "defaults:\n  network: open\n", "open", [] },
        { "bridge (open's older name)", "defaults:\n  network: bridge\n", "bridge", [] },
        // 0.0.0.0/0 itself is refused by the parser ("use mode open"); its two halves are not, and are every address.
        { "every address", "defaults:\n  network:\n    mode: allowlist\n    allow: [\"0.0.0.0/1\", \"128.0.0.0/1\", \"::/1\"]\n", "allowlist", ["0.0.0.0/1", "128.0.0.0/1", "::/1"] },
        { "the LAN and metadata", "defaults:\n  network:\n    allow: [\"10.0.0.0/8\", \"169.254.169.254\", \"127.0.0.1:22\"]\n", "allowlist", ["10.0.0.0/8", "169.254.169.254", "127.0.0.1:22"] },
        { "names", "defaults:\n  network:\n    mode: allowlist\n    allow: [\"*.attacker.example\", \"attacker.example:443\"]\n", "allowlist", ["*.attacker.example", "attacker.example:443"] },
    };

    /// <summary>A git repository (served as <c>file://</c>) holding a template with <paramref name="templateYaml"/>.</summary>
    private string GitTemplate(string templateYaml)
    {
        var repo = _root.CreateDirectory(Path.Combine("origin", Guid.NewGuid().ToString("N")));
        File.WriteAllText(Path.Combine(repo, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(repo, "template.yaml"), templateYaml);
        Git.Run(repo, "init", "--quiet");
        Git.Run(repo, "add", "--all");
        Git.Run(repo, "commit", "--quiet", "-m", "template");
        return "file://" + repo;
    }

    /// <summary>A template of the user's own (~/.airlock/templates/NAME) with <paramref name="templateYaml"/>.</summary>
    private string UserTemplate(string templateYaml)
    {
        var name = "mine-" + Guid.NewGuid().ToString("N")[..8];
        var dir = _root.CreateDirectory(Path.Combine("airlock", "templates", name));
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM scratch\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), templateYaml);
        return name;
    }

    [Theory]
    [MemberData(nameof(Widening))]
    public async Task A_git_template_cannot_widen_the_network_of_the_namespace_made_from_it(string what, string templateYaml, string mode, string[] allow)
    {
        var url = GitTemplate(templateYaml);

        var plan = await _manager.PlanCreateAsync("work", url, Ct);

        plan.Entry.Network.ShouldBe(NetworkModes.Allowlist, what);
        plan.Entry.NetworkAllow.ShouldBeEmpty(what);
        var withheld = plan.WithheldNetwork.ShouldNotBeNull(what);
        withheld.Template.ShouldBe(url);
        withheld.Mode.ShouldBe(mode == "bridge" ? NetworkModes.Open : mode, what);
        withheld.Allow.ShouldBe(allow, what);
    }

    [Theory]
    [MemberData(nameof(Widening))]
    public async Task A_user_template_with_the_same_template_yaml_keeps_what_it_asks_for(string what, string templateYaml, string mode, string[] allow)
    {
        var plan = await _manager.PlanCreateAsync("work", UserTemplate(templateYaml), Ct);

        plan.WithheldNetwork.ShouldBeNull(what);
        plan.Entry.Network.ShouldBe(mode, what);
        plan.Entry.NetworkAllow.ShouldBe(allow, what);
    }

    [Theory]
    [MemberData(nameof(Widening))]
    public async Task Trusting_the_template_network_gives_a_git_template_what_it_asks_for(string what, string templateYaml, string mode, string[] allow)
    {
        var plan = await _manager.PlanCreateAsync("work", GitTemplate(templateYaml), Ct, trustTemplateNetwork: true);

        plan.WithheldNetwork.ShouldBeNull(what);
        plan.Entry.Network.ShouldBe(mode, what);
        plan.Entry.NetworkAllow.ShouldBe(allow, what);
    }

    [Fact]
    public async Task A_baked_in_template_keeps_its_list()
    {
        var plan = await _manager.PlanCreateAsync("work", "default", Ct);

        plan.WithheldNetwork.ShouldBeNull();
        plan.Entry.Network.ShouldBe(NetworkModes.Allowlist);
        plan.Entry.NetworkAllow.ShouldContain("registry.npmjs.org");
        plan.Entry.NetworkAllow.ShouldContain("github.com");
    }

    [Fact]
    public async Task A_git_template_may_narrow_the_network_and_asking_for_no_more_than_the_default_withholds_nothing()
    {
        var none = await _manager.PlanCreateAsync("work", GitTemplate("defaults:\n  network: none\n"), Ct);
        var empty = await _manager.PlanCreateAsync("work", GitTemplate("defaults:\n  network: { mode: allowlist, allow: [] }\n"), Ct);
        var silent = await _manager.PlanCreateAsync("work", GitTemplate("description: says nothing of the network\n"), Ct);

        (none.Entry.Network, none.WithheldNetwork).ShouldBe((NetworkModes.None, null), "none lets less out than the default: a git template gets it");
        (empty.Entry.Network, empty.Entry.NetworkAllow.Count, empty.WithheldNetwork).ShouldBe((NetworkModes.Allowlist, 0, null));
        (silent.Entry.Network, silent.Entry.NetworkAllow.Count, silent.WithheldNetwork).ShouldBe((NetworkModes.Allowlist, 0, null));
    }

    [Fact]
    public async Task A_git_template_may_raise_the_isolation_level_and_has_none_below_the_default_to_lower_it_to()
    {
        var gvisor = await _manager.PlanCreateAsync("work", GitTemplate("defaults:\n  isolation: gvisor\n"), Ct);
        var container = await _manager.PlanCreateAsync("work", GitTemplate("defaults:\n  isolation: container\n"), Ct);

        gvisor.Entry.Isolation.ShouldBe(IsolationLevel.Gvisor);
        container.Entry.Isolation.ShouldBe(IsolationLevel.Container, "the weakest level there is, and the one a namespace gets without it");
        IsolationLevels.All[0].ShouldBe(IsolationLevel.Container);
    }

    [Fact]
    public async Task A_git_template_cannot_widen_through_a_setting_templates_do_not_have()
    {
        var url = GitTemplate("defaults:\n  nesting: true\n  hostPorts: [22]\n  volumes: [\"/:/host\"]\n");

        var ex = await Should.ThrowAsync<Sandboxes.Validation.ValidationException>(() => _manager.PlanCreateAsync("work", url, Ct));

        ex.Message.ShouldContain("defaults.nesting");
        ex.Message.ShouldContain("defaults.hostPorts");
        ex.Message.ShouldContain("defaults.volumes");
    }

    [Fact]
    public async Task The_notice_names_what_was_asked_and_the_config_lines_and_flags_that_grant_it()
    {
        var url = GitTemplate("defaults:\n  network:\n    allow: [\"0.0.0.0/1\", \"*.attacker.example\"]\n");
        var withheld = (await _manager.PlanCreateAsync("work", url, Ct)).WithheldNetwork!;

        var lines = TemplateNetworkNotice.Lines("work", withheld, "~/.airlock/config.yaml");

        lines.ShouldBe(
        [
            "a template from git cannot widen a namespace's network: namespace 'work' gets allowlist with nothing listed",
            $"its template {url} asks for network allowlist with 0.0.0.0/1, *.attacker.example",
            "if you trust the template, grant it for every launch in ~/.airlock/config.yaml (airlock config opens it), replacing the network: line of namespace work:",
            "    network:",
            "      mode: allowlist",
            "      allow:",
            "        - \"0.0.0.0/1\"",
            "        - \"*.attacker.example\"",
            "or for one launch: airlock work --allow 0.0.0.0/1 --allow '*.attacker.example'",
            "or for a running session: airlock egress allow SESSION 0.0.0.0/1 '*.attacker.example'",
        ]);
    }

    [Fact]
    public async Task The_notice_for_an_open_template_names_network_open()
    {
        var withheld = (await _manager.PlanCreateAsync("work", GitTemplate("defaults:\n  network: open\n"), Ct)).WithheldNetwork!;

        var lines = TemplateNetworkNotice.Lines("work", withheld, "~/.airlock/config.yaml");

        lines[1].ShouldEndWith("asks for network open (the internet and the LAN)");
        lines.ShouldContain("    network: open");
        lines[^1].ShouldBe("or for one launch: airlock work --network open");
    }

    public void Dispose() => _root.Dispose();
}
