using Airlock.Launcher.Config;
using Airlock.Sandboxes.Validation;
using static Airlock.Launcher.Tests.Config.ConfigAssert;

namespace Airlock.Launcher.Tests.Config;

public sealed class ConfigValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("namespaces:\n")]
    [InlineData("namespaces: {}\n")]
    public void An_empty_file_is_an_empty_config(string yaml)
    {
        var config = ConfigLoader.Parse(yaml);

        config.Namespaces.ShouldBeEmpty();
        config.BaseImage.ShouldBe(AirlockConfig.DefaultBaseImage);
    }

    [Theory]
    [InlineData("namespaces:\n  work:\n    image: [localhost/airlock:work\n    buildDir: x\n", 4)]
    public void A_file_that_ends_inside_brackets_is_a_syntax_error_with_a_line(string yaml, int line)
    {
        // YamlDotNet throws InvalidOperationException, not YamlException, for these: it must not reach the user as a crash.
        var error = SingleErrorOf(yaml);

        error.Path.ShouldBe("(syntax)");
        error.Line.ShouldBe(line);
    }

    [Fact]
    public void A_key_that_is_a_list_is_reported_not_a_crash()
    {
        var errors = ErrorsOf("namespaces:\n  work:\n    image: x\n    buildDir: y\n    [a]: 1\n");

        errors.ShouldHaveSingleItem().Line.ShouldBe(5);
        errors[0].Message.ShouldContain("is not a known namespace setting");
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_path_and_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: localhost/airlock:work
                buildDir: ~/.airlock/containers/work/
                port-forwarding:
                  - hostPort: 70000
                    containerPort: 80
                display: vga
              list:
                image: localhost/airlock:list
                buildDir: ~/b
                colour: red
            """;

        var errors = ErrorsOf(yaml);

        errors.ShouldBe(
        [
            new ValidationError("namespaces.work.port-forwarding[0].hostPort", "70000 is not a port (1-65535)", 6),
            new ValidationError("namespaces.work.display", "'vga' is not one of x11, wayland, auto, none", 8),
            new ValidationError("namespaces.list", "'list' is reserved: it is an airlock command. Pick another name, e.g. 'list-ns'", 9),
            new ValidationError(
                "namespaces.list.colour",
                "is not a known namespace setting (known: image, buildDir, template, command, environment, port-forwarding, volumes, display, hostPorts, network, secrets, limits, isolation, nesting, writableProjectPaths)",
                12),
        ]);
    }

    [Fact]
    public void The_exception_message_lists_every_error_with_path_and_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: i
                buildDir: b
                hostPorts: [0, 99999]
            """;

        var ex = Should.Throw<ValidationException>(() => ConfigLoader.Parse(yaml, "/home/u/.airlock/config.yaml"));

        ex.Message.ShouldStartWith("/home/u/.airlock/config.yaml is not valid:");
        ex.Message.ShouldContain("namespaces.work.hostPorts[0] (line 5): 0 is not a port (1-65535)");
        ex.Message.ShouldContain("namespaces.work.hostPorts[1] (line 5): 99999 is not a port (1-65535)");
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_with_its_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: "unterminated
                buildDir: ~/b
            """;

        var error = SingleErrorOf(yaml);

        error.Path.ShouldBe("(syntax)");
        error.Line.ShouldNotBeNull().ShouldBeInRange(3, 5);
        error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_duplicate_namespace_is_reported_with_its_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: a
                buildDir: b
              work:
                image: c
                buildDir: d
            """;

        var error = SingleErrorOf(yaml);

        error.Line.ShouldBe(5);
        error.Message.ShouldContain("Duplicate key", Case.Insensitive);
    }

    [Theory]
    [InlineData("- a list\n")]
    [InlineData("just a sentence\n")]
    public void A_file_that_is_not_a_mapping_is_refused(string yaml)
    {
        var error = SingleErrorOf(yaml);

        error.Path.ShouldBe("(root)");
        error.Line.ShouldBe(1);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("help")]
    [InlineData("config")]
    [InlineData("run")]
    public void A_reserved_namespace_name_is_refused(string name)
    {
        var error = SingleErrorOf($"namespaces:\n  {name}:\n    image: i\n    buildDir: b\n");

        error.Path.ShouldBe($"namespaces.{name}");
        error.Line.ShouldBe(2);
        error.Message.ShouldContain("reserved");
    }

    [Theory]
    [InlineData("Work")]
    [InlineData("-dash")]
    [InlineData("a.b")]
    [InlineData("\"with space\"")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcdefghijx")]
    public void An_invalid_namespace_name_is_refused(string name)
    {
        var error = SingleErrorOf($"namespaces:\n  {name}:\n    image: i\n    buildDir: b\n");

        error.Line.ShouldBe(2);
        error.Message.ShouldContain("is not a valid namespace name");
    }

    [Fact]
    public void An_unknown_top_level_key_is_refused_with_the_known_ones()
    {
        var error = SingleErrorOf("namespace:\n  work: {}\n");

        error.ShouldBe(new ValidationError("namespace", "is not a known setting (known: baseImage, namespaces)", 1));
    }

    [Fact]
    public void An_unknown_namespace_key_is_refused_with_the_known_ones()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    volume: [/x]\n");

        error.Path.ShouldBe("namespaces.work.volume");
        error.Line.ShouldBe(5);
        error.Message.ShouldContain("known: image, buildDir, template, command, environment, port-forwarding, volumes, display, hostPorts, network, secrets, limits");
    }

    [Fact]
    public void A_namespace_without_image_and_buildDir_is_refused_for_both()
    {
        var errors = ErrorsOf("namespaces:\n  work:\n    template: default\n");

        errors.Select(e => e.Path).ShouldBe(["namespaces.work.image", "namespaces.work.buildDir"]);
        errors.ShouldAllBe(e => e.Line == 3 && e.Message.StartsWith("is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_namespace_with_an_empty_image_is_refused()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: ''\n    buildDir: b\n");

        error.Path.ShouldBe("namespaces.work.image");
    }

    [Fact]
    public void A_namespace_that_is_not_a_mapping_is_refused()
    {
        var error = SingleErrorOf("namespaces:\n  work: yes\n");

        error.ShouldBe(new ValidationError("namespaces.work", "must be a mapping with at least image: and buildDir:", 2));
    }

    [Fact]
    public void A_list_where_a_single_value_belongs_is_refused()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: [a, b]\n    buildDir: b\n");

        error.ShouldBe(new ValidationError("namespaces.work.image", "must be a single value, not a list or mapping", 3));
    }

    [Fact]
    public void A_command_string_is_split_like_a_shell_would()
    {
        var ns = Namespace("    command: claude --append-system-prompt 'be brief' \"two words\"\n");

        ns.Command.ShouldBe(["claude", "--append-system-prompt", "be brief", "two words"]);
    }

    [Fact]
    public void A_command_list_is_taken_word_for_word()
    {
        var ns = Namespace("    command: [bash, -c, 'echo \"$HOME\" | tr a-z A-Z']\n");

        ns.Command.ShouldBe(["bash", "-c", "echo \"$HOME\" | tr a-z A-Z"]);
    }

    [Fact]
    public void A_namespace_without_a_command_has_none()
    {
        Namespace("").Command.ShouldBeNull();
    }

    [Fact]
    public void A_command_string_with_an_unclosed_quote_is_refused_with_its_line()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    command: claude 'oops\n");

        error.Path.ShouldBe("namespaces.work.command");
        error.Line.ShouldBe(5);
        error.Message.ShouldContain("unclosed single quote");
        error.Message.ShouldContain("write the command as a list");
    }

    [Theory]
    [InlineData("x11")]
    [InlineData("wayland")]
    [InlineData("auto")]
    [InlineData("none")]
    public void Each_display_mode_is_accepted(string mode)
    {
        Namespace($"    display: {mode}\n").Display.ShouldBe(mode);
    }

    [Fact]
    public void A_display_mode_outside_x11_wayland_auto_none_is_refused()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    display: X11\n");

        error.ShouldBe(new ValidationError("namespaces.work.display", "'X11' is not one of x11, wayland, auto, none", 5));
    }

    [Fact]
    public void A_network_mode_outside_open_allowlist_none_is_refused()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    network: host\n");

        error.ShouldBe(new ValidationError("namespaces.work.network", "'host' is not a network mode (open, allowlist, none)", 5));
    }

    [Fact]
    public void Every_bad_allow_entry_and_an_allow_list_outside_allowlist_mode_are_refused_with_their_paths()
    {
        var errors = ErrorsOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    network:\n      mode: open\n      allow: [\"*.\", \"ok.example.com\", \"10.0.0.0/33\"]\n      proxy: x\n");

        errors.Select(e => e.Path).ShouldBe(
            ["namespaces.work.network.allow[0]", "namespaces.work.network.allow[2]", "namespaces.work.network.proxy", "namespaces.work.network.allow"], ignoreOrder: true);
        errors.Single(e => e.Path == "namespaces.work.network.allow").Message.ShouldContain("mode: allowlist");
    }

    [Fact]
    public void A_network_mapping_is_read_and_written_back_the_same()
    {
        var config = ConfigLoader.Parse("namespaces:\n  work:\n    image: i\n    buildDir: b\n    network: { mode: allowlist, allow: [github.com, \"*.npmjs.org\"] }\n", "config.yaml");
        var work = config.Namespaces["work"];

        work.Network.ShouldBe("allowlist");
        work.NetworkAllow.ShouldBe(["github.com", "*.npmjs.org"]);
        var again = ConfigLoader.Parse(ConfigWriter.Render(config), "config.yaml").Namespaces["work"];
        again.Network.ShouldBe("allowlist");
        again.NetworkAllow.ShouldBe(["github.com", "*.npmjs.org"]);
    }

    [Fact]
    public void A_port_forward_without_host_port_or_interface_publishes_the_container_port_on_loopback()
    {
        var ns = Namespace("    port-forwarding:\n      - containerPort: 3000\n");

        ns.PortForwarding.ShouldBe([new PortForwardConfig(3000, 3000, "127.0.0.1")]);
    }

    [Fact]
    public void Port_forward_mistakes_are_each_reported_at_their_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: i
                buildDir: b
                port-forwarding:
                  - hostPort: 8080
                  - containerPort: abc
                  - containerPort: 80
                    hostInterface: localhost
                    protocol: udp
                  - 8080:80
            """;

        var errors = ErrorsOf(yaml);

        errors.ShouldBe(
        [
            new ValidationError("namespaces.work.port-forwarding[0].containerPort", "is missing", 6),
            new ValidationError("namespaces.work.port-forwarding[1].containerPort", "abc is not a port (1-65535)", 7),
            new ValidationError("namespaces.work.port-forwarding[2].hostInterface", "'localhost' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1)", 9),
            new ValidationError("namespaces.work.port-forwarding[2].protocol", "is not one of hostInterface, hostPort, containerPort", 10),
            new ValidationError("namespaces.work.port-forwarding[3]", "must be a mapping with hostPort: and containerPort: (and optionally hostInterface:)", 11),
        ]);
    }

    [Fact]
    public void A_setting_that_must_be_a_list_is_refused_when_it_is_not()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    volumes: /data\n");

        error.ShouldBe(new ValidationError("namespaces.work.volumes", "must be a list", 5));
    }

    [Fact]
    public void Volumes_and_host_ports_are_read_in_order()
    {
        var ns = Namespace("    volumes:\n      - ~/data:/data:ro\n      - /srv\n    hostPorts: [11434, 8000]\n");

        ns.Volumes.ShouldBe(["~/data:/data:ro", "/srv"]);
        ns.HostPorts.ShouldBe([11434, 8000]);
    }
}
