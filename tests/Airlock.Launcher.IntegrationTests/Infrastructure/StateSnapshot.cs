using System.Security.Cryptography;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// What a refused command must not change: every file and dir under AIRLOCK_HOME (with content hashes, so the config
/// stays byte-identical), the namespace images involved, and the containers of the workspace's project. Engine objects
/// are scoped to the test's own names, because other tests run at the same time.
/// </summary>
public sealed record StateSnapshot(IReadOnlyList<string> Files, IReadOnlyList<string> Images, IReadOnlyList<string> Containers)
{
    public static async Task<StateSnapshot> TakeAsync(Workspace workspace, params string[] namespaces)
    {
        var files = new List<string>();
        if (Directory.Exists(workspace.AirlockHome))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(workspace.AirlockHome, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(workspace.AirlockHome, entry);
                if (relative == "locks")
                {
                    // The directory locks are taken in, made on first use; a lock left in it is still seen.
                    continue;
                }

                files.Add(File.Exists(entry) ? $"{relative} {Fingerprint(entry)}" : relative + "/");
            }
        }

        var images = new List<string>();
        foreach (var ns in namespaces)
        {
            if (await Engines.ImageIdAsync(workspace.Engine, workspace.Image(ns), workspace.AsTestUser) is { } id)
            {
                images.Add($"{workspace.Image(ns)} {id}");
            }
        }

        var containers = await Engines.ContainersAsync(workspace.Engine, workspace.AsTestUser, $"io.airlock.project={workspace.Project}");
        return new StateSnapshot(files, images, containers);
    }

    /// <summary>A hash of the content; a file airlock holds locked (a project lock) by its size, as .NET cannot read it then.</summary>
    private static string Fingerprint(string file)
    {
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        }
        catch (IOException)
        {
            return $"(locked, {new FileInfo(file).Length} bytes)";
        }
    }

    /// <summary>Fails, listing the differences, unless <paramref name="after"/> is the same state.</summary>
    public void ShouldBeUnchangedIn(StateSnapshot after, string because)
    {
        after.Files.ShouldBe(Files, $"files under AIRLOCK_HOME changed: {because}");
        after.Images.ShouldBe(Images, $"namespace images changed: {because}");
        after.Containers.ShouldBe(Containers, $"containers of the project changed: {because}");
    }
}
