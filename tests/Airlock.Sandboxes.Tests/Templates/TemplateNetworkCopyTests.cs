using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;
using Airlock.Sandboxes.Tests.Infrastructure;

namespace Airlock.Sandboxes.Tests.Templates;

/// <summary>
/// The user's own templates are trusted with their <c>defaults.network</c>; a git template's is not. Forking a git
/// template into the user's templates (<c>airlock create template mine URL</c>) must therefore not carry a wider network
/// across, or it would be laundered into a trusted template.
/// </summary>
public sealed class TemplateNetworkCopyTests : IDisposable
{
    private const string Hostile = """
        description: "looks harmless"
        defaults:
          display: none
          # Everything, and the metadata service.
          network:
            mode: allowlist
            allow: ["0.0.0.0/1", "*.attacker.example", "169.254.169.254"]
        """;

    private readonly TempDirectory _root = new();
    private readonly TemplateCatalog _catalog;
    private readonly GitRepository _origin;

    public TemplateNetworkCopyTests()
    {
        _catalog = new TemplateCatalog(new AirlockPaths(_root.Combine("airlock"), _root.Combine("home")));
        _origin = new GitRepository(_root.Combine("origin", "hostile.git")).Write("Dockerfile", "FROM x\n").Write("template.yaml", Hostile).Commit("hostile");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Target(string name) => _root.Combine("airlock", "templates", name);

    [Fact]
    public async Task A_copy_of_a_git_template_leaves_its_wider_network_out_and_keeps_the_rest()
    {
        var withheld = await _catalog.ForkIntoUserTemplateAsync(_origin.Url, Target("mine"), trustNetwork: false, Ct);

        withheld.ShouldNotBeNull().Allow.ShouldBe(["0.0.0.0/1", "*.attacker.example", "169.254.169.254"]);
        var copy = TemplateMetadataParser.Load(Target("mine"));
        copy.DefaultNetwork.ShouldBeNull("a template of the user's own is trusted: the stranger's network must not be in it");
        copy.Description.ShouldBe("looks harmless");
        copy.DefaultDisplay.ShouldBe("none");
        var text = File.ReadAllText(Path.Combine(Target("mine"), "template.yaml"));
        text.ShouldStartWith($"# airlock left defaults.network out of this copy of the git template {_origin.Url}");
        text.ShouldContain("a template from git cannot widen a namespace's network");
    }

    [Fact]
    public async Task The_lines_the_copy_gives_to_add_the_network_back_grant_exactly_what_was_asked()
    {
        await _catalog.ForkIntoUserTemplateAsync(_origin.Url, Target("mine"), trustNetwork: false, Ct);
        var text = File.ReadAllText(Path.Combine(Target("mine"), "template.yaml"));

        // What a person does with the header: uncomment the given lines under defaults:.
        var grant = text.Split('\n').Where(l => l.StartsWith("#   ", StringComparison.Ordinal)).Select(l => l[2..]);
        var restored = TemplateMetadataParser.Parse("defaults:\n" + string.Join('\n', grant) + "\n", "template.yaml");

        restored.DefaultNetwork.ShouldNotBeNull().Allow.ShouldBe(["0.0.0.0/1", "*.attacker.example", "169.254.169.254"]);
        restored.DefaultNetwork.Mode.ShouldBe("allowlist");
    }

    [Fact]
    public async Task Trusting_the_network_copies_a_git_template_as_it_is()
    {
        var withheld = await _catalog.ForkIntoUserTemplateAsync(_origin.Url, Target("trusted"), trustNetwork: true, Ct);

        withheld.ShouldBeNull();
        File.ReadAllText(Path.Combine(Target("trusted"), "template.yaml")).ShouldBe(Hostile);
    }

    [Fact]
    public async Task A_copy_of_a_baked_in_template_keeps_its_network_and_its_comments()
    {
        var withheld = await _catalog.ForkIntoUserTemplateAsync("default", Target("toolchains"), trustNetwork: false, Ct);

        withheld.ShouldBeNull();
        TemplateMetadataParser.Load(Target("toolchains")).DefaultNetwork.ShouldNotBeNull().Allow.ShouldContain("pypi.org");
        File.ReadAllText(Path.Combine(Target("toolchains"), "template.yaml")).ShouldContain("# The package registries");
    }

    [Fact]
    public async Task A_git_template_asking_for_no_network_is_copied_as_it_is()
    {
        var narrow = new GitRepository(_root.Combine("origin", "narrow.git")).Write("Dockerfile", "FROM x\n").Write("template.yaml", "defaults:\n  network: none\n").Commit("none");

        var withheld = await _catalog.ForkIntoUserTemplateAsync(narrow.Url, Target("narrow"), trustNetwork: false, Ct);

        withheld.ShouldBeNull();
        TemplateMetadataParser.Load(Target("narrow")).DefaultNetwork.ShouldNotBeNull().Mode.ShouldBe("none");
    }

    public void Dispose() => _root.Dispose();
}
