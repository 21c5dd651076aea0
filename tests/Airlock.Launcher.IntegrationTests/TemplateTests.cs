using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary><c>airlock create|list|edit|delete template</c>, and git templates (<c>file:///…#branch</c>) as namespaces' origin.</summary>
public sealed class TemplateTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Create_list_edit_and_delete_a_user_template(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var dir = Path.Combine(ws.AirlockHome, "templates", "mine");

        (await ws.AirlockAsync("create", "template", "mine", "base")).ShouldSucceed();
        File.ReadAllText(Path.Combine(dir, "Dockerfile")).ShouldBe(File.ReadAllText(Path.Combine(Templates.BaseDir, "Dockerfile")));
        var listed = ListTemplates(await ws.AirlockAsync("list", "templates", "--json"));
        listed["mine"].ShouldBe("user");
        listed["base"].ShouldBe("baked-in");
        listed["default"].ShouldBe("baked-in");

        var untouched = File.ReadAllText(Path.Combine(dir, "Dockerfile"));
        (await ws.RunAsync(["edit", "template", "mine"], env: new Dictionary<string, string?> { ["EDITOR"] = "true" })).ShouldSucceed();
        File.ReadAllText(Path.Combine(dir, "Dockerfile")).ShouldBe(untouched, "an editor that changes nothing changes nothing");
        var editor = ws.Write("append.sh", "#!/bin/sh\necho '# edited' >> \"$1\"\n");
        File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        (await ws.RunAsync(["edit", "template", "mine"], env: new Dictionary<string, string?> { ["EDITOR"] = editor })).ShouldSucceed();
        File.ReadAllText(Path.Combine(dir, "Dockerfile")).ShouldEndWith("# edited\n");

        (await ws.AirlockAsync("create", "template", "mine")).ShouldBeUserError("already exists");
        (await ws.AirlockAsync("delete", "template", "mine")).ShouldSucceed();
        Directory.Exists(dir).ShouldBeFalse();
        ListTemplates(await ws.AirlockAsync("list", "templates", "--json")).ContainsKey("mine").ShouldBeFalse();
        (await ws.AirlockAsync("delete", "template", "mine")).ShouldBeUserError("no user template named 'mine'");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Editing_a_baked_in_template_forks_it_into_a_user_template_that_shadows_it(string engine)
    {
        await using var ws = Workspace.Create(engine);

        (await ws.RunAsync(["edit", "template", "base"], env: new Dictionary<string, string?> { ["EDITOR"] = "true" })).ShouldSucceed();

        File.Exists(Path.Combine(ws.AirlockHome, "templates", "base", "Dockerfile")).ShouldBeTrue();
        var json = JsonNode.Parse((await ws.AirlockAsync("list", "templates", "--json")).ShouldSucceed().Stdout)!.AsArray();
        var entry = json.Single(t => t!["name"]!.GetValue<string>() == "base")!;
        entry["source"]!.GetValue<string>().ShouldBe("user");
        entry["shadowsBakedIn"]!.GetValue<bool>().ShouldBeTrue();
        (await ws.AirlockAsync("delete", "template", "base")).ShouldSucceed();
        ListTemplates(await ws.AirlockAsync("list", "templates", "--json"))["base"].ShouldBe("baked-in", "the baked-in one shows again");
        (await ws.AirlockAsync("delete", "template", "base")).ShouldBeUserError("baked-in");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Namespace_from_a_git_template_branch_builds_it_and_refresh_fetches_new_commits(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var repo = Directory.CreateDirectory(Path.Combine(ws.Root, "template-repo")).FullName;
        await Templates.GitAsync(repo, "init", "--quiet");
        Templates.WriteMarked(repo, "from-main");
        await Templates.GitAsync(repo, "add", "--all");
        await Templates.GitAsync(repo, "commit", "--quiet", "-m", "main");
        await Templates.GitAsync(repo, "checkout", "--quiet", "-b", "feature");
        Templates.WriteMarked(repo, "from-feature");
        await Templates.GitAsync(repo, "commit", "--quiet", "-am", "feature");
        await Templates.GitAsync(repo, "checkout", "--quiet", "main");
        var url = $"file://{repo}#feature";

        var ns = await ws.CreateNamespaceAsync(url);

        (await ws.AirlockAsync(ns, "cat", "/etc/it-marker")).ShouldSucceed().Stdout.Trim().ShouldBe("from-feature");
        ws.ReadConfig().ShouldContain($"template: {url}");

        await Templates.GitAsync(repo, "checkout", "--quiet", "feature");
        Templates.WriteMarked(repo, "from-feature-v2");
        await Templates.GitAsync(repo, "commit", "--quiet", "-am", "feature v2");
        (await ws.RunAsync(["rebuild", "namespace", ns, "--refresh-template"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        (await ws.AirlockAsync(ns, "cat", "/etc/it-marker")).ShouldSucceed().Stdout.Trim().ShouldBe("from-feature-v2");
    }

    /// <summary>Template name to source ("user" or "baked-in") from <c>list templates --json</c>.</summary>
    private static Dictionary<string, string> ListTemplates(ProcessResult result) =>
        JsonNode.Parse(result.ShouldSucceed().Stdout)!.AsArray()
            .ToDictionary(t => t!["name"]!.GetValue<string>(), t => t!["source"]!.GetValue<string>());
}
