using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;

namespace Airlock.Launcher.Tests.Launch;

/// <summary>The baked-in templates (in Airlock.Sandboxes) and the launcher's mounts agree on where the host's gitconfig goes.</summary>
public sealed class TemplateGitConfigTests : IDisposable
{
    private readonly TempDirectory _root = new();

    [Fact]
    public async Task The_shared_gitconfig_includes_the_host_gitconfig_where_the_launcher_mounts_it()
    {
        var catalog = new TemplateCatalog(new AirlockPaths(_root.Combine("airlock"), _root.Combine("home")));
        var target = _root.Combine("build");

        await catalog.ForkIntoAsync("base", target, refresh: false, TestContext.Current.CancellationToken);

        File.ReadAllText(Path.Combine(target, "skeleton", ".gitconfig")).ShouldContain($"path = {LaunchPlanner.HostGitConfig}");
    }

    public void Dispose() => _root.Dispose();
}
