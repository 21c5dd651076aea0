using Airlock.Cli.Settings;

namespace Airlock.Cli.Doctor;

/// <summary>
/// What fixes a missing base image, for the engine doctor found and the user running it: a command that works where it
/// is printed, checked by tests (DoctorFixTests). The default image comes from the rootfs tarball scripts/base-image.sh
/// leaves in its cache (an import any user can run into their own engine), else from that script itself, which makes the
/// tarball (asking sudo for root) and imports it into root's engines and the invoking user's rootless podman.
/// </summary>
public static class BaseImageFix
{
    /// <summary>Where scripts/base-image.sh keeps the tarball; AIRLOCK_CACHE moves it, as it does for the script.</summary>
    public const string CacheVariable = "AIRLOCK_CACHE";

    public const string DefaultCache = "/var/cache/airlock";

    public const string TarballName = "airlock-base-bookworm.tar";

    public static ProblemReport Problem(BaseImageSetting image, EngineReport engine, Func<string, string?> getVariable)
    {
        var message = $"the base image {image.Name} is not in {engine.Kind} ({engine.Endpoint})";
        if (image.Source == BaseImageSetting.Variable)
        {
            return new ProblemReport(
                "base-image-missing", message, $"pull or build {image.Name} in {engine.Kind}, or unset {BaseImageSetting.Variable} to use {BaseImageSetting.Default}");
        }

        if (image.Source != "default")
        {
            return new ProblemReport(
                "base-image-missing", message, $"pull or build {image.Name} in {engine.Kind} ({engine.Kind} pull {image.Name}), or remove baseImage from config.yaml to use {BaseImageSetting.Default}");
        }

        var tarball = Path.Combine(getVariable(CacheVariable) is { Length: > 0 } cache ? cache : DefaultCache, TarballName);
        if (IsReadable(tarball))
        {
            var import = $"{EngineCommand(engine)} import {Shell.Quote(tarball)} {Shell.Quote(image.Name)}";
            return new ProblemReport("base-image-missing", message, $"import it from the tarball scripts/base-image.sh made: {import}", import);
        }

        if (AirlockCheckout.Find() is { } checkout)
        {
            var script = AirlockCheckout.Script(checkout, "base-image.sh");
            return new ProblemReport("base-image-missing", message, $"make it: {script} (it asks sudo for root, and imports it into your rootless podman too)", script);
        }

        return new ProblemReport(
            "base-image-missing",
            message,
            $"make it: bash scripts/base-image.sh in the Airlock checkout (it asks sudo for root), or set {BaseImageSetting.Variable} or config.yaml's baseImage to an image {engine.Kind} can pull (debian:bookworm-slim)");
    }

    /// <summary>The engine's own CLI, pointed at the engine doctor checked when that is not the one the CLI finds by itself.</summary>
    private static string EngineCommand(EngineReport engine)
    {
        var found = engine.Source.StartsWith("default ", StringComparison.Ordinal)
            || engine.Source.StartsWith("AIRLOCK_ENGINE=podman", StringComparison.Ordinal)
            || engine.Source.StartsWith("AIRLOCK_ENGINE=docker", StringComparison.Ordinal)
            || engine.StartedByAirlock;
        return engine.Kind == "docker"
            ? $"docker -H {Shell.Quote(engine.Endpoint)}"
            : found ? "podman" : $"podman --url {Shell.Quote(engine.Endpoint)}";
    }

    private static bool IsReadable(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return stream.Length > 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
