using Airlock.Sandboxes.Validation;
using static Airlock.Launcher.Tests.Config.ConfigAssert;

namespace Airlock.Launcher.Tests.Config;

public sealed class ConfigEnvironmentTests
{
    [Fact]
    public void FromMap_fromFile_and_fromEnv_are_each_read()
    {
        const string body = """
                environment:
                  fromMap:
                    EDITOR: vim
                    EMPTY: ''
                  fromFile:
                    API_KEY: ~/.secrets/api-key
                  fromEnv:
                    GH_TOKEN: GITHUB_TOKEN

            """;

        var env = Namespace(body).Environment;

        env.FromMap.ShouldBe(new Dictionary<string, string> { ["EDITOR"] = "vim", ["EMPTY"] = "" });
        env.FromFile.ShouldBe(new Dictionary<string, string> { ["API_KEY"] = "~/.secrets/api-key" });
        env.FromEnv.ShouldBe(new Dictionary<string, string> { ["GH_TOKEN"] = "GITHUB_TOKEN" });
    }

    [Fact]
    public void An_empty_source_is_allowed_and_empty()
    {
        var env = Namespace("    environment:\n      fromMap:\n").Environment;

        env.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Environment_mistakes_are_each_reported_at_their_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: i
                buildDir: b
                environment:
                  fromMap:
                    1BAD: x
                    GOOD: [a, b]
                  fromVault:
                    X: y
                  fromEnv: HOME
            """;

        var errors = ErrorsOf(yaml);

        errors.ShouldBe(
        [
            new ValidationError("namespaces.work.environment.fromMap.1BAD", "is not a valid variable name (letters, digits and _, not starting with a digit)", 7),
            new ValidationError("namespaces.work.environment.fromMap.GOOD", "must be a single value, not a list or mapping", 8),
            new ValidationError("namespaces.work.environment.fromVault", "is not one of fromMap, fromFile, fromEnv", 9),
            new ValidationError("namespaces.work.environment.fromEnv", "must be a mapping of NAME: value", 11),
        ]);
    }

    [Fact]
    public void An_environment_that_is_not_a_mapping_is_refused()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    environment: [A=1]\n");

        error.ShouldBe(new ValidationError("namespaces.work.environment", "must be a mapping with fromMap:, fromFile: or fromEnv:", 5));
    }
}
