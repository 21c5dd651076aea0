using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary><c>airlock create|list|reset|rebuild|delete namespace</c>: the four things a namespace is (config entry, home, build dir, image) kept together.</summary>
public sealed class NamespaceVerbTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_namespace_registers_config_entry_home_build_dir_and_labelled_image(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);

        var ns = await ws.CreateNamespaceAsync("base");

        var config = ws.ReadConfig();
        config.ShouldContain($"  {ns}:\n");
        config.ShouldContain($"image: {ws.Image(ns)}");
        config.ShouldContain("template: base");
        File.Exists(Path.Combine(ws.NamespaceHome(ns), ".bashrc")).ShouldBeTrue("the home is seeded from the image's /home/airlock");
        File.Exists(Path.Combine(ws.BuildDir(ns), "Dockerfile")).ShouldBeTrue("the template is forked into the build dir");
        var labels = (await Engines.CliAsync(engine, "image", "inspect", "--format", "{{json .Config.Labels}}", ws.Image(ns))).ShouldSucceed();
        var parsed = JsonNode.Parse(labels.Stdout)!.AsObject();
        parsed["io.airlock.owner"]!.GetValue<string>().ShouldBe("launcher");
        parsed["io.airlock.namespace"]!.GetValue<string>().ShouldBe(ns);
        (await ws.AirlockAsync(ns, "true")).ShouldSucceed();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task List_namespaces_json_shows_each_namespace_with_its_image_and_home(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        (await ws.AirlockAsync("list", "namespaces", "--json")).ShouldSucceed().Stdout.Trim().ShouldBe("[]");
        var ns = await ws.CreateNamespaceAsync();

        var listed = JsonNode.Parse((await ws.AirlockAsync("list", "namespaces", "--json")).ShouldSucceed().Stdout)!.AsArray();

        listed.Count.ShouldBe(1);
        var entry = listed[0]!;
        entry["name"]!.GetValue<string>().ShouldBe(ns);
        entry["image"]!.GetValue<string>().ShouldBe(ws.Image(ns));
        entry["template"]!.GetValue<string>().ShouldBe("base");
        entry["imagePresent"]!.GetValue<bool>().ShouldBeTrue();
        entry["homePresent"]!.GetValue<bool>().ShouldBeTrue();
        (await ws.AirlockAsync("list", "namespaces", "-q")).ShouldSucceed().Stdout.Trim().ShouldBe(ns);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Reset_namespace_reseeds_the_home_from_the_image(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        var home = ws.NamespaceHome(ns);
        var bashrc = File.ReadAllText(Path.Combine(home, ".bashrc"));
        (await ws.AirlockAsync(ns, "sh", "-c", "echo junk > ~/added-later; rm ~/.bashrc")).ShouldSucceed();
        File.Exists(Path.Combine(home, ".bashrc")).ShouldBeFalse();

        (await ws.AirlockAsync("reset", "namespace", ns)).ShouldSucceed();

        File.Exists(Path.Combine(home, "added-later")).ShouldBeFalse("reset wipes the home");
        File.ReadAllText(Path.Combine(home, ".bashrc")).ShouldBe(bashrc, "and re-seeds it from the image");
        (await ws.AirlockAsync(ns, "sh", "-c", "test -f ~/.bashrc && echo seeded")).ShouldSucceed().Stdout.Trim().ShouldBe("seeded");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rebuild_namespace_builds_the_edited_build_dir_and_keeps_the_home(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        (await ws.AirlockAsync(ns, "sh", "-c", "echo kept > ~/my-file")).ShouldSucceed();
        File.AppendAllText(Path.Combine(ws.BuildDir(ns), "Dockerfile"), "\nRUN echo rebuilt > /etc/it-marker\n");

        (await ws.RunAsync(["rebuild", "namespace", ns], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        var inside = (await ws.AirlockAsync(ns, "sh", "-c", "cat /etc/it-marker ~/my-file")).ShouldSucceed();
        Engines.Lines(inside.Stdout).ShouldBe(["rebuilt", "kept"]);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rebuild_with_refresh_template_discards_edits_to_the_build_dir(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        var dockerfile = Path.Combine(ws.BuildDir(ns), "Dockerfile");
        var original = File.ReadAllText(dockerfile);
        File.AppendAllText(dockerfile, "\nRUN echo edited > /etc/it-marker\n");
        (await ws.RunAsync(["rebuild", "namespace", ns], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        (await ws.RunAsync(["rebuild", "namespace", ns, "--refresh-template"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        File.ReadAllText(dockerfile).ShouldBe(original);
        (await ws.AirlockAsync(ns, "sh", "-c", "test -e /etc/it-marker && echo still-there || echo gone")).ShouldSucceed().Stdout.Trim().ShouldBe("gone");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rebuild_with_no_cache_runs_every_step_again(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        File.AppendAllText(Path.Combine(ws.BuildDir(ns), "Dockerfile"), "\nRUN cat /proc/sys/kernel/random/uuid > /etc/it-stamp\n");
        (await ws.RunAsync(["rebuild", "namespace", ns], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();
        async Task<string> StampAsync() => (await ws.AirlockAsync(ns, "cat", "/etc/it-stamp")).ShouldSucceed().Stdout.Trim();
        var first = await StampAsync();
        (await ws.RunAsync(["rebuild", "namespace", ns], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();
        (await StampAsync()).ShouldBe(first, "a plain rebuild reuses the cached step (else the next assertion proves nothing)");

        (await ws.RunAsync(["rebuild", "namespace", ns, "--no-cache"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        (await StampAsync()).ShouldNotBe(first, "--no-cache runs the step again");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Rebuild_with_template_reforks_from_it_and_records_it(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        (await ws.AirlockAsync("create", "template", "marked", "base")).ShouldSucceed();
        File.AppendAllText(Path.Combine(ws.AirlockHome, "templates", "marked", "Dockerfile"), "\nRUN echo from-marked > /etc/it-marker\n");
        var ns = await ws.CreateNamespaceAsync("marked");
        (await ws.AirlockAsync(ns, "cat", "/etc/it-marker")).ShouldSucceed().Stdout.Trim().ShouldBe("from-marked");

        (await ws.RunAsync(["rebuild", "namespace", ns, "--template", "base"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        ws.ReadConfig().ShouldContain("template: base");
        File.ReadAllText(Path.Combine(ws.BuildDir(ns), "Dockerfile")).ShouldNotContain("from-marked");
        (await ws.AirlockAsync(ns, "sh", "-c", "test -e /etc/it-marker && echo still-there || echo gone")).ShouldSucceed().Stdout.Trim().ShouldBe("gone");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Failed_rebuild_exits_2_names_the_failing_step_and_keeps_the_previous_image(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        var imageBefore = await Engines.ImageIdAsync(engine, ws.Image(ns));
        File.AppendAllText(Path.Combine(ws.BuildDir(ns), "Dockerfile"), "\nRUN echo about-to-fail && false\n");

        var rebuild = await ws.RunAsync(["rebuild", "namespace", ns], timeout: TimeSpan.FromMinutes(10));

        rebuild.ShouldBeUserError("RUN echo about-to-fail && false");
        rebuild.Stderr.ShouldContain("about-to-fail", Case.Sensitive, "the failing step's output is shown");
        (await Engines.ImageIdAsync(engine, ws.Image(ns))).ShouldBe(imageBefore, "a failed build must not replace the image");
        (await ws.AirlockAsync(ns, "sh", "-c", "echo still-works")).ShouldSucceed().Stdout.Trim().ShouldBe("still-works");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Delete_namespace_with_force_removes_home_build_dir_image_and_config_entry(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();

        (await ws.AirlockAsync("delete", "namespace", ns, "--force")).ShouldSucceed();

        Directory.Exists(ws.NamespaceHome(ns)).ShouldBeFalse();
        Directory.Exists(ws.BuildDir(ns)).ShouldBeFalse();
        (await Engines.ImageExistsAsync(engine, ws.Image(ns))).ShouldBeFalse();
        ws.ReadConfig().ShouldNotContain(ns);
        (await ws.AirlockAsync(ns, "true")).ShouldBeUserError($"no namespace named '{ns}'");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Delete_namespace_without_force_and_without_a_terminal_refuses_and_removes_nothing(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        var before = await StateSnapshot.TakeAsync(ws, ns);

        var delete = await ws.RunAsync(["delete", "namespace", ns], stdin: "y\n");

        delete.ShouldBeUserError("--force");
        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, ns), "delete without --force and without a terminal");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Delete_namespace_leaves_a_build_dir_outside_airlock_home_alone(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        var custom = Path.Combine(ws.Root, "my-build-dir");
        Directory.Move(ws.BuildDir(ns), custom);
        // Edit the config the documented way: airlock config opens $EDITOR on it (here a non-interactive sed), then validates.
        var editor = ws.Write("editor.sh", $"#!/bin/sh\nsed -i 's#buildDir: .*#buildDir: {custom}/#' \"$1\"\n");
        File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var edit = await ws.RunAsync(["config"], env: new Dictionary<string, string?> { ["EDITOR"] = editor });
        edit.ShouldSucceed();
        ws.ReadConfig().ShouldContain($"buildDir: {custom}/");
        (await ws.RunAsync(["rebuild", "namespace", ns], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        (await ws.AirlockAsync("delete", "namespace", ns, "--force")).ShouldSucceed();

        File.Exists(Path.Combine(custom, "Dockerfile")).ShouldBeTrue("a build dir outside ~/.airlock/containers is the user's");
        Directory.Exists(ws.NamespaceHome(ns)).ShouldBeFalse();
        (await Engines.ImageExistsAsync(engine, ws.Image(ns))).ShouldBeFalse();
        ws.ReadConfig().ShouldNotContain(ns);
    }
}
