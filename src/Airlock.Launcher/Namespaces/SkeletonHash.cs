using System.Security.Cryptography;

namespace Airlock.Launcher.Namespaces;

/// <summary>A fingerprint of a build dir's skeleton dotfiles, stored on the image, to tell when a seeded home has drifted from it.</summary>
public static class SkeletonHash
{
    public const string Label = "io.airlock.skeleton-hash";

    public static string Of(string buildDir)
    {
        var skeleton = Path.Combine(buildDir, "skeleton");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (Directory.Exists(skeleton))
        {
            foreach (var file in Directory.EnumerateFiles(skeleton, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(skeleton, file) + "\0"));
                hash.AppendData(File.ReadAllBytes(file));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
