using Airlock.Launcher.Config;
using Airlock.Launcher.Launch;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Paths;

namespace Airlock.Launcher.Tests.Launch;

public sealed class EnvironmentResolverTests : IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly AirlockPaths _paths;
    private readonly List<string> _warnings = [];

    public EnvironmentResolverTests() => _paths = new AirlockPaths(_home.Combine(".airlock"), _home.Path);

    private static EnvironmentConfig Config(
        Dictionary<string, string>? fromMap = null, Dictionary<string, string>? fromFile = null, Dictionary<string, string>? fromEnv = null) =>
        new(fromMap ?? [], fromFile ?? [], fromEnv ?? []);

    private Dictionary<string, string> Resolve(EnvironmentConfig config, string[]? flags = null, Func<string, string?>? hostEnv = null) =>
        EnvironmentResolver.Resolve("work", config, flags ?? [], _paths, hostEnv ?? FakeHostEnvironment.Empty, _warnings);

    [Fact]
    public void FromMap_values_are_passed_as_written()
    {
        Resolve(Config(fromMap: new() { ["EDITOR"] = "vim", ["EMPTY"] = "" }))
            .ShouldBe(new Dictionary<string, string> { ["EDITOR"] = "vim", ["EMPTY"] = "" });
    }

    [Fact]
    public void FromFile_passes_the_file_content_without_its_trailing_newline()
    {
        _home.Write(".secrets/api-key", "sk-123\r\n");

        var env = Resolve(Config(fromFile: new() { ["API_KEY"] = "~/.secrets/api-key" }));

        env.ShouldBe(new Dictionary<string, string> { ["API_KEY"] = "sk-123" });
    }

    [Fact]
    public void FromFile_with_a_missing_file_is_refused_naming_the_setting_and_the_path()
    {
        var ex = Should.Throw<LauncherException>(() => Resolve(Config(fromFile: new() { ["API_KEY"] = "~/.secrets/missing" })));

        ex.Message.ShouldStartWith("namespaces.work.environment.fromFile.API_KEY: ~/.secrets/missing does not exist.");
    }

    [Fact]
    public void FromEnv_takes_the_host_variable_under_the_new_name()
    {
        var env = Resolve(Config(fromEnv: new() { ["GH_TOKEN"] = "GITHUB_TOKEN" }), hostEnv: FakeHostEnvironment.Of(("GITHUB_TOKEN", "ghp_1")));

        env.ShouldBe(new Dictionary<string, string> { ["GH_TOKEN"] = "ghp_1" });
        _warnings.ShouldBeEmpty();
    }

    [Fact]
    public void FromEnv_with_an_unset_host_variable_warns_and_forwards_nothing()
    {
        var env = Resolve(Config(fromEnv: new() { ["GH_TOKEN"] = "GITHUB_TOKEN" }));

        env.ShouldBeEmpty();
        _warnings.ShouldBe(["namespaces.work.environment.fromEnv.GH_TOKEN: $GITHUB_TOKEN is not set on the host, so GH_TOKEN is not forwarded"]);
    }

    [Fact]
    public void An_env_flag_with_a_value_sets_it_over_the_config()
    {
        var env = Resolve(Config(fromMap: new() { ["MODE"] = "config" }), ["MODE=flag", "EQUALS=a=b", "EMPTY="]);

        env.ShouldBe(new Dictionary<string, string> { ["MODE"] = "flag", ["EQUALS"] = "a=b", ["EMPTY"] = "" });
    }

    [Fact]
    public void An_env_flag_without_a_value_inherits_the_host_value()
    {
        var env = Resolve(Config(), ["LANG"], FakeHostEnvironment.Of(("LANG", "de_DE.UTF-8")));

        env.ShouldBe(new Dictionary<string, string> { ["LANG"] = "de_DE.UTF-8" });
    }

    [Fact]
    public void An_env_flag_naming_an_unset_host_variable_is_refused()
    {
        var ex = Should.Throw<LauncherException>(() => Resolve(Config(), ["NOPE"]));

        ex.Message.ShouldBe("--env NOPE: NOPE is not set on the host; give a value with --env NOPE=VALUE");
    }

    [Theory]
    [InlineData("1BAD=x", "1BAD")]
    [InlineData("=x", "")]
    [InlineData("MY-VAR=x", "MY-VAR")]
    [InlineData("A B", "A B")]
    public void An_env_flag_with_an_invalid_name_is_refused(string flag, string name)
    {
        var ex = Should.Throw<LauncherException>(() => Resolve(Config(), [flag]));

        ex.Message.ShouldBe($"--env '{flag}': '{name}' is not a valid variable name (letters, digits and _, not starting with a digit); use NAME=VALUE or NAME to inherit the host's value");
    }

    public void Dispose() => _home.Dispose();
}
