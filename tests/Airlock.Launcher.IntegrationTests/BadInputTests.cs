using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Wrong input gets exit 2, a message naming the problem (and its file, line, or flag), and changes nothing: the config
/// stays byte-identical, and no dir, image or container appears.
/// </summary>
public sealed class BadInputTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_namespace_with_a_reserved_name_is_refused(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var before = await StateSnapshot.TakeAsync(ws, "list");

        var result = await ws.AirlockAsync("create", "namespace", "list", "base");

        result.ShouldBeUserError("'list' is reserved");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, "list"), "a refused create");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_namespace_with_an_invalid_name_is_refused(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var before = await StateSnapshot.TakeAsync(ws);

        var result = await ws.AirlockAsync("create", "namespace", "Bad_Name!", "base");

        result.ShouldBeUserError("'Bad_Name!' is not a valid namespace name", "lowercase");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws), "a refused create");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Yaml_syntax_error_in_config_is_reported_with_file_and_line(string engine)
    {
        await using var ws = Workspace.Create(engine);
        ws.Write("airlock/config.yaml", "namespaces:\n  work:\n    image: localhost/airlock:work\n   buildDir: oops\n");
        var before = await StateSnapshot.TakeAsync(ws, "work");

        var launch = await ws.AirlockAsync("work", "true");
        var list = await ws.AirlockAsync("list", "namespaces");

        launch.ShouldBeUserError(ws.ConfigFile, "(line 4)");
        list.ShouldBeUserError(ws.ConfigFile, "(line 4)");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, "work"), "a config with a syntax error");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Unclosed_bracket_in_config_is_a_syntax_error_not_a_crash(string engine)
    {
        await using var ws = Workspace.Create(engine);
        ws.Write("airlock/config.yaml", "namespaces:\n  work:\n    image: [localhost/airlock:work\n    buildDir: ~/.airlock/containers/work/\n");
        var before = await StateSnapshot.TakeAsync(ws, "work");

        var launch = await ws.AirlockAsync("work", "true");

        launch.ShouldBeUserError(ws.ConfigFile, "(syntax)", "(line 4)");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, "work"), "a config with a syntax error");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Invalid_fields_in_config_are_all_reported_with_path_and_line(string engine)
    {
        await using var ws = Workspace.Create(engine);
        ws.Write("airlock/config.yaml", """
            namespaces:
              work:
                image: localhost/airlock:work
                buildDir: ~/.airlock/containers/work/
                port-forwarding:
                  - { hostInterface: 127.0.0.1, hostPort: 70000, containerPort: 5000 }
                display: x12
            """);
        var before = await StateSnapshot.TakeAsync(ws, "work");

        var launch = await ws.AirlockAsync("work", "true");

        launch.ShouldBeUserError(
            ws.ConfigFile,
            "namespaces.work.port-forwarding[0].hostPort (line 6): 70000 is not a port (1-65535)",
            "namespaces.work.display (line 7): 'x12' is not one of");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, "work"), "an invalid config");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Bad_forward_flag_is_refused_naming_the_flag(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        var before = await StateSnapshot.TakeAsync(ws, name);

        var result = await ws.AirlockAsync(name, "--forward", "99999", "true");

        result.ShouldBeUserError("--forward '99999'", "is not a port (1-65535)");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, name), "a refused launch");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Missing_from_file_is_refused_naming_the_setting_and_the_file(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns, "environment:\n  fromFile: { API_KEY: ~/.secrets/missing }");
        var before = await StateSnapshot.TakeAsync(ws, name);

        var result = await ws.AirlockAsync(name, "true");

        result.ShouldBeUserError($"namespaces.{name}.environment.fromFile.API_KEY", "~/.secrets/missing does not exist");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, name), "a refused launch");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Unknown_template_is_refused_listing_the_known_ones(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.NewNamespaceName();
        var before = await StateSnapshot.TakeAsync(ws, ns);

        var result = await ws.AirlockAsync("create", "namespace", ns, "no-such-template");

        result.ShouldBeUserError("no template named 'no-such-template'", "base", "default");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, ns), "a refused create");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Template_for_another_platform_is_refused_naming_both_platforms(string engine)
    {
        await using var ws = Workspace.Create(engine);
        Templates.WriteMarked(
            Path.Combine(ws.AirlockHome, "templates", "mac-only"), "mac",
            "description: mac only\nplatforms:\n  - { os: darwin, arch: arm64 }\n");
        var ns = ws.NewNamespaceName();
        var before = await StateSnapshot.TakeAsync(ws, ns);

        var result = await ws.AirlockAsync("create", "namespace", ns, "mac-only");

        result.ShouldBeUserError("template 'mac-only' does not support this host", $"linux/amd64/{engine}", "darwin/arm64");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, ns), "a refused create");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Invalid_env_and_volume_flags_are_refused_naming_the_flag(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        var before = await StateSnapshot.TakeAsync(ws, name);

        var badName = await ws.AirlockAsync(name, "-e", "BAD-NAME=1", "true");
        var unset = await ws.RunAsync([name, "-e", "UNSET_ON_HOST_XYZ", "true"], env: new Dictionary<string, string?> { ["UNSET_ON_HOST_XYZ"] = null });
        var missing = await ws.AirlockAsync(name, "-v", "/no/such/dir:/x", "true");

        badName.ShouldBeUserError("--env 'BAD-NAME=1'");
        unset.ShouldBeUserError("--env UNSET_ON_HOST_XYZ", "not set on the host");
        missing.ShouldBeUserError("--volume '/no/such/dir:/x'", "does not exist");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, name), "refused launches");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Several_bad_flags_are_all_reported_at_once(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        var before = await StateSnapshot.TakeAsync(ws, name);

        var result = await ws.AirlockAsync(name, "--forward", "99999", "-e", "BAD-NAME=1", "-v", "/no/such/dir:/x", "true");

        result.ShouldBeUserError("3 problems", "--forward '99999'", "--env 'BAD-NAME=1'", "--volume '/no/such/dir:/x'");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, name), "a refused launch");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Config_edit_that_breaks_the_file_is_reported_with_path_and_line(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        var lines = File.ReadAllLines(ws.ConfigFile).Length;
        var editor = ws.Write("break.sh", "#!/bin/sh\necho '    display: x12' >> \"$1\"\n");
        File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var edit = await ws.RunAsync(["config"], env: new Dictionary<string, string?> { ["EDITOR"] = editor });

        edit.ShouldBeUserError(ws.ConfigFile, $"namespaces.{name}.display (line {lines + 1}): 'x12' is not one of", "airlock config");
    }
}
