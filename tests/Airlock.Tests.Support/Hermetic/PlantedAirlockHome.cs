namespace Airlock.Tests.Support;

/// <summary>
/// The <c>~/.airlock</c> of someone who has used Airlock, planted in the throwaway HOME every test process runs with: a
/// <c>default</c> namespace whose image is in neither engine, its home and its build dir. A test (or code under test)
/// that reads the user's state instead of its own AIRLOCK_HOME sees this and goes wrong the way it would on a
/// developer's machine (a doctor that reports the namespace's missing image, say); one that writes there fails the
/// suite's state check (<see cref="UserStateGuard"/>).
/// </summary>
public static class PlantedAirlockHome
{
    public const string Namespace = "default";

    public static string Plant(string home)
    {
        var root = Path.Combine(home, ".airlock");
        Write(root, "config.yaml", $"""
            # Planted by the test run (Airlock.Tests.Support.PlantedAirlockHome): a user's state that no test may read or change.
            namespaces:
              {Namespace}:
                image: localhost/airlock-planted-by-the-tests:{Namespace}
                buildDir: ~/.airlock/containers/{Namespace}/
                template: base
            """);
        Write(root, $"namespaces/{Namespace}/.bashrc", "# a user's own shell set-up\n");
        Write(root, $"containers/{Namespace}/Dockerfile", "FROM localhost/airlock-base:bookworm\n");
        return root;
    }

    private static void Write(string root, string relativePath, string content)
    {
        var path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n") + (content.EndsWith('\n') ? "" : "\n"));
    }
}
