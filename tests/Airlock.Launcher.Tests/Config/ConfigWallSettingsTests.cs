using Airlock.Launcher.Config;
using Airlock.Sandboxes.Validation;
using static Airlock.Launcher.Tests.Config.ConfigAssert;

namespace Airlock.Launcher.Tests.Config;

/// <summary>The settings that open the wall a little for one namespace: nesting, writable protected paths, the scratch size.</summary>
public sealed class ConfigWallSettingsTests
{
    [Fact]
    public void Nesting_writable_project_paths_and_tmp_are_read()
    {
        var ns = Namespace("    nesting: true\n    writableProjectPaths: [.envrc, .git/hooks, hooksPath]\n    limits:\n      tmp: 512m\n");

        ns.Nesting.ShouldBe(true);
        ns.WritableProjectPaths.ShouldBe([".envrc", ".git/hooks", "hooksPath"]);
        ns.Limits.TmpBytes.ShouldBe(512L * 1024 * 1024);
    }

    [Fact]
    public void Unset_they_keep_the_wall_closed()
    {
        var ns = Namespace("");

        ns.Nesting.ShouldBeNull();
        ns.WritableProjectPaths.ShouldBeEmpty();
        ns.Limits.TmpBytes.ShouldBeNull();
    }

    [Fact]
    public void Every_bad_value_is_reported_with_its_path_and_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: i
                buildDir: b
                nesting: maybe
                writableProjectPaths: [.envrc, src/app.py, /etc/passwd]
                limits:
                  tmp: huge
            """;

        ErrorsOf(yaml).Select(e => (e.Path, e.Line)).ShouldBe(
        [
            ("namespaces.work.nesting", 5),
            ("namespaces.work.writableProjectPaths[1]", 6),
            ("namespaces.work.writableProjectPaths[2]", 6),
            ("namespaces.work.limits.tmp", 8),
        ]);
        ErrorsOf(yaml)[1].Message.ShouldStartWith("'src/app.py' is not a protected project path; these are: .git/config, .git/hooks,");
    }

    [Fact]
    public void They_survive_a_round_trip_through_the_writer()
    {
        var config = new AirlockConfig().WithNamespace("work", new NamespaceConfig
        {
            Image = "localhost/airlock:work",
            BuildDir = "~/.airlock/containers/work/",
            Nesting = false,
            WritableProjectPaths = [".vscode"],
            Limits = new LimitsConfig(null, 2, null, TmpBytes: 0),
        });

        ConfigLoader.Parse(ConfigWriter.Render(config)).ShouldHaveSameContentAs(config);
    }
}
