using Airlock.Sandboxes.Paths;

namespace Airlock.Sandboxes.Tests.Paths;

public sealed class AirlockPathsTests
{
    [Fact]
    public void State_lives_under_dot_airlock_in_the_home_by_default()
    {
        var paths = AirlockPaths.FromEnvironment(FakeHostEnvironment.Of(("HOME", "/home/dev")));

        paths.Root.ShouldBe("/home/dev/.airlock");
        paths.ConfigFile.ShouldBe("/home/dev/.airlock/config.yaml");
        paths.TemplatesDir.ShouldBe("/home/dev/.airlock/templates");
        paths.TemplateCacheDir.ShouldBe("/home/dev/.airlock/template-cache");
        paths.NamespaceHome("work").ShouldBe("/home/dev/.airlock/namespaces/work");
        paths.DefaultBuildDir("work").ShouldBe("/home/dev/.airlock/containers/work");
    }

    [Theory]
    [InlineData("/srv/airlock", "/srv/airlock")]
    [InlineData("~/state/airlock", "/home/dev/state/airlock")]
    [InlineData("/srv/x/../airlock/", "/srv/airlock/")]
    public void Airlock_home_moves_the_state_and_may_start_with_a_tilde(string airlockHome, string root)
    {
        var paths = AirlockPaths.FromEnvironment(FakeHostEnvironment.Of(("HOME", "/home/dev"), ("AIRLOCK_HOME", airlockHome)));

        paths.Root.ShouldBe(root);
        paths.UserHome.ShouldBe("/home/dev");
    }

    [Theory]
    [InlineData("~", "/home/dev")]
    [InlineData("~/.secrets/key", "/home/dev/.secrets/key")]
    [InlineData("/etc/hosts", "/etc/hosts")]
    public void Expand_turns_a_leading_tilde_into_the_host_home(string path, string expanded)
    {
        new AirlockPaths("/home/dev/.airlock", "/home/dev").Expand(path).ShouldBe(expanded);
    }

    [Theory]
    [InlineData("/home/dev", "~")]
    [InlineData("/home/dev/.airlock/containers/work", "~/.airlock/containers/work")]
    [InlineData("/home/developer/x", "/home/developer/x")]
    [InlineData("/srv/x", "/srv/x")]
    public void Contract_writes_the_home_as_a_tilde_only_for_whole_path_components(string path, string contracted)
    {
        new AirlockPaths("/home/dev/.airlock", "/home/dev").Contract(path).ShouldBe(contracted);
    }
}
