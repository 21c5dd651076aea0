using Airlock.Sandboxes.Templates;

namespace Airlock.Sandboxes.Tests.Templates;

public sealed class BakedInTemplatesTests
{
    private static string TemplatesDir => Path.Combine(RepositoryRoot.Path, "templates");

    [Fact]
    public void Names_are_the_template_folders_of_the_repository_without_the_shared_one()
    {
        var folders = Directory.GetDirectories(TemplatesDir).Select(Path.GetFileName).Where(n => n != BakedInTemplates.SharedName).Order(StringComparer.Ordinal);

        BakedInTemplates.Names.ShouldBe(folders);
        BakedInTemplates.Names.ShouldContain("base");
        BakedInTemplates.Names.ShouldContain("default");
        BakedInTemplates.Exists(BakedInTemplates.SharedName).ShouldBeFalse();
    }

    [Fact]
    public void Every_file_of_every_template_folder_is_embedded_byte_for_byte_dotfiles_included()
    {
        using var extracted = new TempDirectory();
        var folders = Directory.GetDirectories(TemplatesDir).Select(d => Path.GetFileName(d)!).ToList();
        folders.ShouldContain(BakedInTemplates.SharedName);

        foreach (var name in folders)
        {
            var source = Path.Combine(TemplatesDir, name);
            var target = extracted.CreateDirectory(name);
            BakedInTemplates.Extract(name, target);

            var expected = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f)).Order(StringComparer.Ordinal);
            var actual = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(target, f)).Order(StringComparer.Ordinal);
            actual.ShouldBe(expected, $"files of templates/{name}");
            foreach (var file in expected)
            {
                File.ReadAllBytes(Path.Combine(target, file)).ShouldBe(File.ReadAllBytes(Path.Combine(source, file)), $"templates/{name}/{file}");
            }
        }
    }

    [Theory]
    [InlineData("base")]
    [InlineData("default")]
    [InlineData("cli-agents")]
    public void Every_baked_in_template_gives_new_namespaces_an_allowlist(string name)
    {
        var metadata = TemplateMetadataParser.Load(Path.Combine(TemplatesDir, name));

        metadata.DefaultNetwork.ShouldNotBeNull().Mode.ShouldBe("allowlist");
        if (name != "base")
        {
            metadata.DefaultNetwork.Allow.ShouldContain("registry.npmjs.org");
            metadata.DefaultNetwork.Allow.ShouldContain("github.com");
        }
    }

    [Fact]
    public void The_agents_template_lets_through_each_agents_model_provider_and_no_catch_all()
    {
        var allow = TemplateMetadataParser.Load(Path.Combine(TemplatesDir, "cli-agents")).DefaultNetwork!.Allow;

        allow.ShouldBe(allow.Distinct(), "each destination once");
        allow.ShouldBeSubsetOf(allow.Where(a => a != "*" && !a.Contains('/', StringComparison.Ordinal)), "names only: no address range, no catch-all");
        foreach (var endpoint in new[] { "api.anthropic.com", "api.openai.com", "generativelanguage.googleapis.com", "api.githubcopilot.com", "dashscope.aliyuncs.com", "openrouter.ai" })
        {
            allow.ShouldContain(endpoint);
        }
    }

    [Fact]
    public void The_shared_skeleton_dotfiles_are_embedded()
    {
        using var extracted = new TempDirectory();

        BakedInTemplates.Extract(BakedInTemplates.SharedName, extracted.Path);

        File.Exists(extracted.Combine("airlock-user.sh")).ShouldBeTrue();
        File.Exists(extracted.Combine("skeleton", ".bashrc")).ShouldBeTrue();
        File.Exists(extracted.Combine("skeleton", ".profile")).ShouldBeTrue();
        File.Exists(extracted.Combine("skeleton", ".gitconfig")).ShouldBeTrue();
    }
}
