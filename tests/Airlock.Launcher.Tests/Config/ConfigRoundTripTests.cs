using Airlock.Launcher.Config;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Config;

public sealed class ConfigRoundTripTests
{
    private static AirlockConfig FullConfig() => new AirlockConfig { BaseImage = "registry.example.com/airlock-base:1" }
        .WithNamespace("work", new NamespaceConfig
        {
            Image = "localhost/airlock:work",
            BuildDir = "~/.airlock/containers/work/",
            Template = "https://example.com/templates.git#v1",
            Command = ["claude", "--model", "opus 4", "it's \"quoted\""],
            Environment = new EnvironmentConfig(
                new Dictionary<string, string> { ["EDITOR"] = "vim", ["GREETING"] = "a: b # not a comment" },
                new Dictionary<string, string> { ["API_KEY"] = "~/.secrets/api-key" },
                new Dictionary<string, string> { ["GH_TOKEN"] = "GITHUB_TOKEN" }),
            PortForwarding = [new PortForwardConfig(80, 8080), new PortForwardConfig(3000, 3001, "0.0.0.0"), new PortForwardConfig(53, 5353, "::1")],
            Volumes = ["~/data:/data:ro", "/srv/cache"],
            Display = "wayland",
            HostPorts = [11434, 8000],
            Network = "none",
            Limits = new LimitsConfig(512L * 1024 * 1024, 1.5, 256),
        })
        .WithNamespace("play", new NamespaceConfig
        {
            Image = "localhost/airlock:play",
            BuildDir = "/srv/airlock/play",
            Limits = new LimitsConfig(0, null, 0),
        })
        .WithNamespace("minimal", new NamespaceConfig { Image = "localhost/airlock:minimal", BuildDir = "~/b" });

    [Fact]
    public void A_full_config_survives_render_and_parse_with_equal_content()
    {
        var config = FullConfig();

        var parsed = ConfigLoader.Parse(ConfigWriter.Render(config));

        parsed.ShouldHaveSameContentAs(config);
        parsed.Namespaces.Keys.ShouldBe(["minimal", "play", "work"]);
        parsed.Namespaces["work"].Command.ShouldBe(["claude", "--model", "opus 4", "it's \"quoted\""]);
        parsed.Namespaces["play"].Limits.ShouldBe(new LimitsConfig(0, null, 0));
    }

    [Fact]
    public void Rendering_a_parsed_config_gives_the_same_text_again()
    {
        var text = ConfigWriter.Render(FullConfig());

        ConfigWriter.Render(ConfigLoader.Parse(text)).ShouldBe(text);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("true")]
    [InlineData("")]
    [InlineData("  leading and trailing spaces  ")]
    [InlineData("- looks like a list")]
    [InlineData("{ looks: like a map }")]
    [InlineData("line one\nline two")]
    [InlineData("#hash first")]
    [InlineData("0755")]
    public void Values_that_look_like_yaml_survive_the_round_trip_verbatim(string value)
    {
        var config = new AirlockConfig().WithNamespace("work", new NamespaceConfig
        {
            Image = "localhost/airlock:work",
            BuildDir = "~/b",
            Command = ["echo", value],
            Environment = EnvironmentConfig.Empty with { FromMap = new Dictionary<string, string> { ["VALUE"] = value } },
        });

        var parsed = ConfigLoader.Parse(ConfigWriter.Render(config)).Namespaces["work"];

        parsed.Command.ShouldBe(["echo", value]);
        parsed.Environment.FromMap["VALUE"].ShouldBe(value);
    }

    [Fact]
    public void The_default_base_image_is_left_out_of_the_file_and_a_custom_one_is_written()
    {
        ConfigWriter.Render(new AirlockConfig()).ShouldNotContain("baseImage");

        var custom = ConfigWriter.Render(new AirlockConfig { BaseImage = "docker.io/library/debian:bookworm" });

        custom.ShouldContain("baseImage: docker.io/library/debian:bookworm");
        ConfigLoader.Parse(custom).BaseImage.ShouldBe("docker.io/library/debian:bookworm");
    }

    [Fact]
    public void Save_then_Load_gives_the_same_config_and_leaves_no_temp_file()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("nested", "config.yaml");

        ConfigWriter.Save(FullConfig(), file);

        ConfigLoader.Load(file).ShouldHaveSameContentAs(FullConfig());
        Directory.GetFiles(Path.GetDirectoryName(file)!).ShouldBe([file]);
    }

    [Fact]
    public void Loading_a_missing_file_gives_an_empty_config()
    {
        using var dir = new TempDirectory();

        var config = ConfigLoader.Load(dir.Combine("config.yaml"));

        config.Namespaces.ShouldBeEmpty();
        config.BaseImage.ShouldBe(AirlockConfig.DefaultBaseImage);
    }
}
