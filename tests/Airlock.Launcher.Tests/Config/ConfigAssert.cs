using System.Text.Json;
using Airlock.Launcher.Config;
using Airlock.Sandboxes.Validation;

namespace Airlock.Launcher.Tests.Config;

/// <summary>Helpers shared by the config tests.</summary>
internal static class ConfigAssert
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Records compare lists and maps by reference; this compares what they hold.</summary>
    public static void ShouldHaveSameContentAs(this AirlockConfig actual, AirlockConfig expected) =>
        JsonSerializer.Serialize(actual, Json).ShouldBe(JsonSerializer.Serialize(expected, Json));

    public static IReadOnlyList<ValidationError> ErrorsOf(string yaml)
    {
        var ex = Should.Throw<ValidationException>(() => ConfigLoader.Parse(yaml, "config.yaml"));
        ex.Subject.ShouldBe("config.yaml");
        return ex.Errors;
    }

    public static ValidationError SingleErrorOf(string yaml) => ErrorsOf(yaml).ShouldHaveSingleItem();

    public static NamespaceConfig Namespace(string body, string name = "work") =>
        ConfigLoader.Parse($"namespaces:\n  {name}:\n    image: localhost/airlock:{name}\n    buildDir: ~/.airlock/containers/{name}/\n{body}").Namespaces[name];
}
