using Airlock.Launcher.Config;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Validation;

namespace Airlock.Cli.Settings;

/// <summary>
/// The image baked-in templates build FROM: <c>AIRLOCK_BASE_IMAGE</c> when set, else <c>baseImage:</c> in config.yaml,
/// else <see cref="Default"/>. <see cref="Source"/> says which.
/// </summary>
public sealed record BaseImageSetting(string Name, string Source)
{
    public const string Variable = "AIRLOCK_BASE_IMAGE";
    public const string Default = AirlockConfig.DefaultBaseImage;

    public static BaseImageSetting From(Func<string, string?> getVariable)
    {
        if (getVariable(Variable)?.Trim() is { Length: > 0 } name)
        {
            return new BaseImageSetting(name, Variable);
        }

        try
        {
            var config = ConfigLoader.Load(AirlockPaths.FromEnvironment(getVariable).ConfigFile);
            return config.BaseImage != Default ? new BaseImageSetting(config.BaseImage, "config.yaml baseImage") : new BaseImageSetting(Default, "default");
        }
        catch (ValidationException)
        {
            return new BaseImageSetting(Default, "default"); // doctor reports the broken config on its own
        }
    }
}
