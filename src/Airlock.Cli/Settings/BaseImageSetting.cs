namespace Airlock.Cli.Settings;

/// <summary>The image sandboxes start from: <c>AIRLOCK_BASE_IMAGE</c>, else <see cref="Default"/>.</summary>
public sealed record BaseImageSetting(string Name, string Source)
{
    public const string Variable = "AIRLOCK_BASE_IMAGE";
    public const string Default = "localhost/airlock-base:bookworm";

    public static BaseImageSetting From(Func<string, string?> getVariable) =>
        getVariable(Variable)?.Trim() is { Length: > 0 } name
            ? new BaseImageSetting(name, Variable)
            : new BaseImageSetting(Default, "default");
}
