using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;

namespace Airlock.Sandboxes.Tests.Templates;

public sealed class TemplateCatalogTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly TemplateCatalog _catalog;

    public TemplateCatalogTests() => _catalog = new TemplateCatalog(new AirlockPaths(_root.Combine("airlock"), _root.Combine("home")));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string UserTemplate(string name, string? yaml = "description: \"mine\"\n", string dockerfile = "FROM mine\n")
    {
        var dir = _root.CreateDirectory(Path.Combine("airlock", "templates", name));
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile);
        if (yaml is not null)
        {
            File.WriteAllText(Path.Combine(dir, "template.yaml"), yaml);
        }

        return dir;
    }

    [Fact]
    public void List_shows_the_baked_in_base_and_default_templates_with_their_descriptions()
    {
        var list = _catalog.List();

        list.ShouldContain(new TemplateInfo("base", TemplateKind.BakedIn, "A bare Debian shell with git and a prompt.", false));
        list.ShouldContain(t => t.Name == "default" && t.Kind == TemplateKind.BakedIn && t.Description!.StartsWith("Everyday toolchains", StringComparison.Ordinal));
        list.Select(t => t.Name).ShouldBe(BakedInTemplates.Names);
    }

    [Fact]
    public void A_user_template_named_like_a_baked_in_one_shadows_it()
    {
        UserTemplate("base");

        var list = _catalog.List();

        list.Where(t => t.Name == "base").ShouldHaveSingleItem().ShouldBe(new TemplateInfo("base", TemplateKind.User, "mine", ShadowsBakedIn: true));
        list.Single(t => t.Name == "default").Kind.ShouldBe(TemplateKind.BakedIn);
    }

    [Fact]
    public void A_user_template_with_a_new_name_is_listed_in_order_without_shadowing()
    {
        UserTemplate("cuda", yaml: null);

        var list = _catalog.List();

        list.Select(t => t.Name).ShouldBe(["base", "cli-agents", "cuda", "default"]);
        list.Single(t => t.Name == "cuda").ShouldBe(new TemplateInfo("cuda", TemplateKind.User, null, ShadowsBakedIn: false));
    }

    [Fact]
    public void A_user_template_folder_with_an_invalid_name_is_not_listed()
    {
        UserTemplate("Not Valid");

        _catalog.List().ShouldNotContain(t => t.Name == "Not Valid");
    }

    [Fact]
    public void A_user_template_with_a_broken_template_yaml_is_listed_with_a_note_instead_of_failing()
    {
        UserTemplate("broken", yaml: "colour: red\n");

        _catalog.List().Single(t => t.Name == "broken").Description.ShouldBe("(template.yaml has errors)");
    }

    [Theory]
    [InlineData("base")]
    [InlineData("default")]
    public async Task Forking_a_baked_in_template_writes_its_files_and_the_shared_ones(string name)
    {
        var target = _root.Combine("build", name);

        var metadata = await _catalog.ForkIntoAsync(name, target, refresh: false, Ct);

        var repoTemplates = Path.Combine(RepositoryRoot.Path, "templates");
        string[] files = ["Dockerfile", "template.yaml"];
        foreach (var file in files)
        {
            File.ReadAllText(Path.Combine(target, file)).ShouldBe(File.ReadAllText(Path.Combine(repoTemplates, name, file)));
        }

        string[] shared = ["airlock-user.sh", "skeleton/.bashrc", "skeleton/.profile", "skeleton/.gitconfig"];
        foreach (var file in shared)
        {
            File.ReadAllText(Path.Combine(target, file)).ShouldBe(File.ReadAllText(Path.Combine(repoTemplates, "_shared", file)), file);
        }

        metadata.Description.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Forking_a_user_template_that_shadows_a_baked_in_one_takes_the_users_files_over_the_shared_ones()
    {
        var dir = UserTemplate("base", yaml: "description: mine\ndefaults:\n  display: x11\n");
        Directory.CreateDirectory(Path.Combine(dir, "skeleton"));
        File.WriteAllText(Path.Combine(dir, "skeleton", ".bashrc"), "# my own bashrc\n");
        var target = _root.Combine("build");

        var metadata = await _catalog.ForkIntoAsync("base", target, refresh: false, Ct);

        File.ReadAllText(Path.Combine(target, "Dockerfile")).ShouldBe("FROM mine\n");
        File.ReadAllText(Path.Combine(target, "skeleton", ".bashrc")).ShouldBe("# my own bashrc\n");
        File.Exists(Path.Combine(target, "skeleton", ".profile")).ShouldBeTrue("the shared files the template does not replace are still laid in");
        File.Exists(Path.Combine(target, "airlock-user.sh")).ShouldBeTrue();
        metadata.ShouldBe(metadata with { Description = "mine", DefaultDisplay = "x11" });
    }

    [Fact]
    public async Task Reading_metadata_leaves_nothing_behind_and_prefers_the_user_template()
    {
        UserTemplate("default", yaml: "description: \"my default\"\n");

        (await _catalog.ReadMetadataAsync("default", Ct)).Description.ShouldBe("my default");
        (await _catalog.ReadMetadataAsync("base", Ct)).Description.ShouldBe("A bare Debian shell with git and a prompt.");
        Directory.Exists(_root.Combine("build")).ShouldBeFalse();
    }

    [Fact]
    public async Task An_unknown_template_is_refused_naming_the_available_ones()
    {
        UserTemplate("cuda");

        var ex = await Should.ThrowAsync<TemplateNotFoundException>(() => _catalog.ForkIntoAsync("rust", _root.Combine("build"), refresh: false, Ct));

        ex.Message.ShouldBe("no template named 'rust'. Available: base, cli-agents, cuda, default. Make one with: airlock create template rust");
        Directory.Exists(_root.Combine("build")).ShouldBeFalse("nothing is written for a template that does not exist");
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("Base")]
    public async Task A_template_name_that_is_neither_a_name_nor_a_url_is_refused(string spec)
    {
        var ex = await Should.ThrowAsync<TemplateNotFoundException>(() => _catalog.ReadMetadataAsync(spec, Ct));

        ex.Message.ShouldContain($"template '{spec}'");
        ex.Message.ShouldContain("git URL[#REF]");
    }

    [Theory]
    [InlineData("https://github.com/acme/templates.git#v1", true)]
    [InlineData("http://example.com/t", true)]
    [InlineData("git@github.com:acme/templates", true)]
    [InlineData("ssh://git@example.com/t", true)]
    [InlineData("file:///srv/templates", true)]
    [InlineData("/srv/templates.git#main", true)]
    [InlineData("default", false)]
    [InlineData("my-template", false)]
    public void A_git_spec_is_recognised_by_its_scheme_or_dot_git(string spec, bool isGit)
    {
        TemplateCatalog.IsGitSpec(spec).ShouldBe(isGit);
    }

    public void Dispose() => _root.Dispose();
}
