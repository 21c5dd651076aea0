using System.Diagnostics;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>Template dirs for tests: the baked-in base template's files plus a marker step, so builds hit the layer cache.</summary>
public static class Templates
{
    public static string BaseDir => Path.Combine(AirlockBinary.RepoRoot, "templates", "base");

    /// <summary>
    /// Writes the base template into <paramref name="dir"/> with one extra step that writes <paramref name="marker"/> to
    /// /etc/it-marker, and optionally a template.yaml of the test's own.
    /// </summary>
    public static void WriteMarked(string dir, string marker, string? templateYaml = null)
    {
        Directory.CreateDirectory(dir);
        var dockerfile = File.ReadAllText(Path.Combine(BaseDir, "Dockerfile"));
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), dockerfile.TrimEnd('\n') + $"\nRUN echo {marker} > /etc/it-marker\n");
        File.WriteAllText(Path.Combine(dir, "template.yaml"), templateYaml ?? $"description: \"test template {marker}\"\n");
    }

    /// <summary>Runs git in <paramref name="dir"/> with a fixed identity and none of the machine's git config.</summary>
    public static Task GitAsync(string dir, params string[] args) => Git.RunAsync(dir, args);

    /// <summary>Tags what <paramref name="image"/> is now so a test can take its name over; Restore puts it back.</summary>
    public static async Task<Func<Task>> SetAsideAsync(string engine, string image)
    {
        if (!await Engines.ImageExistsAsync(engine, image))
        {
            return () => Task.CompletedTask;
        }

        // A real user's namespace image: keep it safe in a tar (a second tag could go with a forced removal of the first).
        var tar = Path.Combine(Path.GetTempPath(), $"airlock-it-saved-{Names.Hex(4)}.tar");
        (await Engines.CliAsync(engine, "save", "-o", tar, image)).ShouldSucceed();
        Debug.WriteLine($"set {image} aside in {tar}");
        return async () =>
        {
            (await Engines.CliAsync(engine, "load", "-i", tar)).ShouldSucceed();
            File.Delete(tar);
        };
    }
}
