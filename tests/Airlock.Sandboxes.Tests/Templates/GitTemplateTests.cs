using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;
using Airlock.Sandboxes.Tests.Infrastructure;

namespace Airlock.Sandboxes.Tests.Templates;

public sealed class GitTemplateTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly AirlockPaths _paths;
    private readonly TemplateCatalog _catalog;
    private readonly GitRepository _origin;

    public GitTemplateTests()
    {
        _paths = new AirlockPaths(_root.Combine("airlock"), _root.Combine("home"));
        _catalog = new TemplateCatalog(_paths);
        _origin = new GitRepository(_root.Combine("origin", "templates.git"))
            .Write("Dockerfile", "FROM v1\n").Write("template.yaml", "description: version one\n").Commit("v1").Tag("v1")
            .Write("Dockerfile", "FROM v2\n").Write("template.yaml", "description: version two\n").Commit("v2")
            .Checkout("feature", create: true).Write("Dockerfile", "FROM feature\n").Commit("feature")
            .Checkout("main");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> ForkAsync(string spec, bool refresh = false, string? into = null)
    {
        var target = _root.Combine("build", into ?? Guid.NewGuid().ToString("N"));
        await _catalog.ForkIntoAsync(spec, target, refresh, Ct);
        return target;
    }

    private string[] CachedClones() => Directory.GetDirectories(_paths.TemplateCacheDir);

    [Fact]
    public async Task A_git_template_at_a_tag_is_cloned_into_the_template_cache_and_forked()
    {
        var target = _root.Combine("build");

        var metadata = await _catalog.ForkIntoAsync($"{_origin.Url}#v1", target, refresh: false, Ct);

        File.ReadAllText(Path.Combine(target, "Dockerfile")).ShouldBe("FROM v1\n");
        metadata.Description.ShouldBe("version one");
        File.Exists(Path.Combine(target, "airlock-user.sh")).ShouldBeTrue("the shared files come with a git template too");
        File.Exists(Path.Combine(target, "skeleton", ".bashrc")).ShouldBeTrue();
        Directory.Exists(Path.Combine(target, ".git")).ShouldBeFalse("the clone's git metadata is not part of the template");
        Directory.Exists(Path.Combine(CachedClones().ShouldHaveSingleItem(), ".git")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_git_template_without_a_ref_takes_the_default_branch()
    {
        var target = await ForkAsync(_origin.Url);

        File.ReadAllText(Path.Combine(target, "Dockerfile")).ShouldBe("FROM v2\n");
    }

    [Fact]
    public async Task A_git_template_at_a_branch_other_than_the_default_takes_that_branch()
    {
        var target = await ForkAsync($"{_origin.Url}#feature");

        File.ReadAllText(Path.Combine(target, "Dockerfile")).ShouldBe("FROM feature\n");
    }

    [Fact]
    public async Task A_second_resolve_reuses_the_cached_clone_even_when_the_origin_is_gone()
    {
        await ForkAsync($"{_origin.Url}#v1");
        Directory.Move(_origin.Path, _origin.Path + ".moved");

        var target = await ForkAsync($"{_origin.Url}#v1");

        File.ReadAllText(Path.Combine(target, "Dockerfile")).ShouldBe("FROM v1\n");
        CachedClones().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Different_refs_of_one_url_share_one_clone_and_each_gets_its_own_content()
    {
        var v1 = await ForkAsync($"{_origin.Url}#v1");
        var feature = await ForkAsync($"{_origin.Url}#feature");
        var again = await ForkAsync($"{_origin.Url}#v1");

        File.ReadAllText(Path.Combine(v1, "Dockerfile")).ShouldBe("FROM v1\n");
        File.ReadAllText(Path.Combine(feature, "Dockerfile")).ShouldBe("FROM feature\n");
        File.ReadAllText(Path.Combine(again, "Dockerfile")).ShouldBe("FROM v1\n");
        CachedClones().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Refreshing_a_branch_template_picks_up_commits_made_after_the_first_clone()
    {
        await ForkAsync($"{_origin.Url}#main");
        _origin.Write("Dockerfile", "FROM v3\n").Commit("v3");

        var cached = await ForkAsync($"{_origin.Url}#main");
        var refreshed = await ForkAsync($"{_origin.Url}#main", refresh: true);

        File.ReadAllText(Path.Combine(cached, "Dockerfile")).ShouldBe("FROM v2\n", "without refresh the cached clone is used as is");
        File.ReadAllText(Path.Combine(refreshed, "Dockerfile")).ShouldBe("FROM v3\n");
    }

    [Fact]
    public async Task Refreshing_a_template_without_a_ref_follows_the_default_branch()
    {
        await ForkAsync(_origin.Url);
        _origin.Write("Dockerfile", "FROM v3\n").Commit("v3");

        var refreshed = await ForkAsync(_origin.Url, refresh: true);

        File.ReadAllText(Path.Combine(refreshed, "Dockerfile")).ShouldBe("FROM v3\n");
    }

    [Fact]
    public async Task A_ref_that_does_not_exist_is_refused_naming_it()
    {
        var ex = await Should.ThrowAsync<TemplateNotFoundException>(() => ForkAsync($"{_origin.Url}#no-such-ref", into: "bad"));

        ex.Message.ShouldStartWith("git checkout --detach no-such-ref failed:");
        ex.Message.ShouldContain("no-such-ref");
        Directory.Exists(_root.Combine("build", "bad")).ShouldBeFalse("nothing is forked from a ref that does not exist");
    }

    [Fact]
    public async Task A_url_that_looks_like_a_git_option_is_taken_as_a_url_and_runs_nothing()
    {
        var marker = _root.Combine("pwned");
        var spec = $"--upload-pack=touch {marker};.git";

        await Should.ThrowAsync<TemplateNotFoundException>(() => ForkAsync(spec));

        File.Exists(marker).ShouldBeFalse("the spec must never reach git as an option");
    }

    [Fact]
    public async Task A_ref_that_looks_like_a_git_option_is_refused()
    {
        var ex = await Should.ThrowAsync<TemplateNotFoundException>(() => ForkAsync($"{_origin.Url}#--orphan=x"));

        ex.Message.ShouldContain("'--orphan=x' is not a branch, tag or commit");
    }

    [Fact]
    public async Task A_url_that_cannot_be_cloned_is_refused_and_leaves_no_half_clone()
    {
        var missing = "file://" + _root.Combine("nowhere", "templates.git");

        var ex = await Should.ThrowAsync<TemplateNotFoundException>(() => ForkAsync(missing));

        ex.Message.ShouldStartWith($"git clone {missing}");
        ex.Message.ShouldContain("failed:");
        CachedClones().ShouldBeEmpty();
    }

    public void Dispose() => _root.Dispose();
}
