using Airlock.Sandboxes.Templates;
using Airlock.Sandboxes.Validation;

namespace Airlock.Sandboxes.Tests.Templates;

public sealed class TemplateMetadataParserTests
{
    private static IReadOnlyList<ValidationError> ErrorsOf(string yaml)
    {
        var ex = Should.Throw<ValidationException>(() => TemplateMetadataParser.Parse(yaml, "t/template.yaml"));
        ex.Subject.ShouldBe("t/template.yaml");
        return ex.Errors;
    }

    [Fact]
    public void A_full_template_yaml_gives_description_platforms_and_defaults()
    {
        const string yaml = """
            description: "GPU tooling"
            platforms:
              - { os: linux, arch: amd64, runtime: podman }
              - os: linux
                arch: arm64
            defaults:
              display: wayland
              command: [claude, --verbose]
            """;

        var metadata = TemplateMetadataParser.Parse(yaml, "template.yaml");

        metadata.Description.ShouldBe("GPU tooling");
        metadata.Platforms.ShouldBe([new TemplatePlatform("linux", "amd64", "podman"), new TemplatePlatform("linux", "arm64", "*")]);
        metadata.DefaultDisplay.ShouldBe("wayland");
        metadata.DefaultCommand.ShouldBe(["claude", "--verbose"]);
    }

    [Fact]
    public void A_default_isolation_level_is_read_and_an_unknown_one_names_the_field_and_the_levels()
    {
        TemplateMetadataParser.Parse("defaults:\n  isolation: gvisor\n", "template.yaml").DefaultIsolation.ShouldBe(Airlock.Sandboxes.Specs.IsolationLevel.Gvisor);
        TemplateMetadataParser.Parse("defaults:\n  display: none\n", "template.yaml").DefaultIsolation.ShouldBeNull();

        var ex = Should.Throw<ValidationException>(() => TemplateMetadataParser.Parse("defaults:\n  display: none\n  isolation: vm\n", "t/template.yaml"));

        var error = ex.Errors.ShouldHaveSingleItem();
        (error.Path, error.Line, error.Message).ShouldBe(("defaults.isolation", 3, "'vm' is not an isolation level (container, gvisor)"));
    }

    [Fact]
    public void A_default_network_is_read_as_a_mode_or_a_mapping_and_an_absent_one_is_null()
    {
        TemplateMetadataParser.Parse("defaults:\n  network: open\n", "template.yaml").DefaultNetwork
            .ShouldBe(new Airlock.Sandboxes.Specs.NetworkSetting("open", []), new NetworkSettingComparer());
        var listed = TemplateMetadataParser.Parse("defaults:\n  network:\n    mode: allowlist\n    allow: [github.com, \"*.npmjs.org\", \"10.0.0.0/8:443\"]\n", "template.yaml").DefaultNetwork!;
        (listed.Mode, string.Join(' ', listed.Allow)).ShouldBe(("allowlist", "github.com *.npmjs.org 10.0.0.0/8:443"));
        TemplateMetadataParser.Parse("defaults:\n  network:\n    allow: [pypi.org]\n", "template.yaml").DefaultNetwork!.Mode.ShouldBe("allowlist", "a list alone means allowlist");
        TemplateMetadataParser.Parse("defaults:\n  display: none\n", "template.yaml").DefaultNetwork.ShouldBeNull();
    }

    [Fact]
    public void A_bad_default_network_reports_every_problem_with_its_path_and_line()
    {
        var errors = ErrorsOf("""
            defaults:
              network:
                mode: everything
                allow: ["*.", "ok.example.com", [nested]]
                proxy: yes
              networks: open
            """);

        errors.Select(e => (e.Path, e.Line)).ShouldBe(
        [
            ("defaults.network.mode", 3),
            ("defaults.network.allow[0]", 4),
            ("defaults.network.allow[2]", 4),
            ("defaults.network.proxy", 5),
            ("defaults.networks", 6),
        ], ignoreOrder: true);
        errors.Single(e => e.Path == "defaults.network.mode").Message.ShouldBe("'everything' is not a network mode (open, allowlist, none)");
        errors.Single(e => e.Path == "defaults.networks").Message.ShouldContain("known: display, command, isolation, network");
    }

    private sealed class NetworkSettingComparer : IEqualityComparer<Airlock.Sandboxes.Specs.NetworkSetting?>
    {
        public bool Equals(Airlock.Sandboxes.Specs.NetworkSetting? x, Airlock.Sandboxes.Specs.NetworkSetting? y) =>
            x?.Mode == y?.Mode && (x?.Allow ?? []).SequenceEqual(y?.Allow ?? []);

        public int GetHashCode(Airlock.Sandboxes.Specs.NetworkSetting? obj) => obj?.Mode?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }

    [Fact]
    public void A_default_command_string_is_split_like_a_shell_would()
    {
        var metadata = TemplateMetadataParser.Parse("defaults:\n  command: aider --model 'local model'\n", "template.yaml");

        metadata.DefaultCommand.ShouldBe(["aider", "--model", "local model"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n")]
    public void An_empty_template_yaml_has_no_metadata(string yaml)
    {
        TemplateMetadataParser.Parse(yaml, "template.yaml").ShouldBe(TemplateMetadata.Empty);
    }

    [Fact]
    public void A_template_without_template_yaml_has_no_metadata()
    {
        using var dir = new TempDirectory();

        TemplateMetadataParser.Load(dir.Path).ShouldBe(TemplateMetadata.Empty);
    }

    [Fact]
    public void Load_reads_the_template_yaml_of_a_directory_and_names_the_file_in_errors()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("template.yaml", "descripton: typo\n");

        var ex = Should.Throw<ValidationException>(() => TemplateMetadataParser.Load(dir.Path));

        ex.Subject.ShouldBe(file);
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_line()
    {
        const string yaml = """
            description: x
            platforms:
              - { os: linux, arch: amd64 }
              - { os: linux }
              - linux/arm64
            defaults:
              command: claude 'unclosed
              display: vga
            colour: red
            """;

        var errors = ErrorsOf(yaml);

        errors.ShouldBe(
        [
            new ValidationError("platforms[1]", "must be a mapping with os:, arch: and optionally runtime:", 4),
            new ValidationError("platforms[2]", "must be a mapping with os:, arch: and optionally runtime:", 5),
            new ValidationError("defaults.display", "'vga' is not one of x11, wayland, auto, none", 8),
            new ValidationError("defaults.command", "unclosed single quote at character 8 of: claude 'unclosed", 7),
            new ValidationError("colour", "is not a known template setting (known: description, platforms, defaults)", 9),
        ]);
    }

    [Fact]
    public void Platforms_that_are_not_a_list_are_refused_as_such()
    {
        var error = ErrorsOf("platforms: linux/amd64\n").ShouldHaveSingleItem();

        error.ShouldBe(new ValidationError("platforms", "must be a list of mappings with os:, arch: and optionally runtime:", 1));
    }

    [Fact]
    public void Defaults_that_are_not_a_mapping_are_refused_as_such()
    {
        var error = ErrorsOf("defaults: x11\n").ShouldHaveSingleItem();

        error.ShouldBe(new ValidationError("defaults", "must be a mapping with display:, command:, isolation: and network:", 1));
    }

    [Fact]
    public void A_default_command_list_with_a_nested_list_is_refused_with_its_line()
    {
        var error = ErrorsOf("defaults:\n  command:\n    - claude\n    - [a, b]\n").ShouldHaveSingleItem();

        error.ShouldBe(new ValidationError("defaults.command[1]", "must be a single word, not a list or mapping", 4));
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_with_its_line()
    {
        var error = ErrorsOf("description: ok\nplatforms:\n  - [unclosed\n").ShouldHaveSingleItem();

        error.Path.ShouldBe("(syntax)");
        error.Line.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(3);
    }
}
