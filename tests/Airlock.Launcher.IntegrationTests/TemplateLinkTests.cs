using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10 item 8: a git template is someone else's repository. Its symbolic links are copied as links, and one that
/// points outside the template (<c>skeleton/leak -> a host file</c>) is refused before anything is built: before the
/// fix, the copy into the build dir read the host file, which then ended up in the image and the seeded home.
/// </summary>
public sealed class TemplateLinkTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_git_template_linking_to_host_files_is_refused_and_nothing_is_created(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var secret = ws.Write("host-secret", "HOST-SECRET-FROM-TEMPLATE\n");
        var hostDir = Path.GetDirectoryName(ws.Write("host-dir/inside", "HOST-DIR-FILE\n"))!;
        var repo = await RepoAsync(ws, repoDir =>
        {
            File.CreateSymbolicLink(Path.Combine(repoDir, "skeleton", "leak"), secret);
            File.CreateSymbolicLink(Path.Combine(repoDir, "skeleton", "leakdir"), hostDir);
        });
        var name = ws.NewNamespaceName();

        var result = await ws.RunAsync(["create", "namespace", name, $"file://{repo}"], timeout: TimeSpan.FromMinutes(10));

        var seededLeak = Path.Combine(ws.NamespaceHome(name), "leak");
        (File.Exists(seededLeak) ? File.ReadAllText(seededLeak) : "").ShouldNotContain("HOST-SECRET", Case.Sensitive, "a host file reached the seeded home");
        result.ShouldBeUserError("skeleton/leak is a symbolic link to " + secret, "outside the template");
        Directory.Exists(ws.NamespaceHome(name)).ShouldBeFalse();
        Directory.Exists(ws.BuildDir(name)).ShouldBeFalse();
        (await Engines.ImageExistsAsync(engine, ws.Image(name))).ShouldBeFalse();
        (File.Exists(ws.ConfigFile) ? ws.ReadConfig() : "").ShouldNotContain(name);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_git_template_link_within_the_template_is_kept_as_a_link(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var repo = await RepoAsync(ws, repoDir => File.CreateSymbolicLink(Path.Combine(repoDir, "skeleton", "profile-link"), ".profile"));

        var name = await ws.CreateNamespaceAsync($"file://{repo}");

        new FileInfo(Path.Combine(ws.BuildDir(name), "skeleton", "profile-link")).LinkTarget.ShouldBe(".profile");
        new FileInfo(Path.Combine(ws.NamespaceHome(name), "profile-link")).LinkTarget.ShouldBe(".profile");
        (await ws.AirlockAsync(name, "sh", "-c", "readlink ~/profile-link")).ShouldSucceed().Stdout.Trim().ShouldBe(".profile");
    }

    /// <summary>A git repository holding the base template (marked) with a skeleton/ dir, which <paramref name="addLinks"/> fills.</summary>
    private static async Task<string> RepoAsync(Workspace ws, Action<string> addLinks)
    {
        var repo = Directory.CreateDirectory(Path.Combine(ws.Root, "template-repo")).FullName;
        await Templates.GitAsync(repo, "init", "--quiet");
        Templates.WriteMarked(repo, "links");
        Directory.CreateDirectory(Path.Combine(repo, "skeleton"));
        addLinks(repo);
        await Templates.GitAsync(repo, "add", "--all");
        await Templates.GitAsync(repo, "commit", "--quiet", "-m", "template with links");
        return repo;
    }
}
