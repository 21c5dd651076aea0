using System.Security.Cryptography;
using Airlock.Sandboxes.Files;

namespace Airlock.Launcher.Namespaces;

/// <summary>A fingerprint of a build dir's skeleton dotfiles, stored on the image, to tell when a seeded home has drifted from it.</summary>
public static class SkeletonHash
{
    public static string Of(string buildDir)
    {
        var skeleton = Path.Combine(buildDir, "skeleton");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (Directory.Exists(skeleton))
        {
            // Links are hashed as what they say, never read through: the skeleton comes from a template.
            foreach (var entry in FileTree.Walk(skeleton).Where(e => e.Kind is EntryKind.File or EntryKind.Link).OrderBy(e => e.FullPath, StringComparer.Ordinal))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(entry.RelativePath + "\0"));
                hash.AppendData(entry.Kind == EntryKind.File ? File.ReadAllBytes(entry.FullPath) : System.Text.Encoding.UTF8.GetBytes("\0link\0" + entry.LinkTarget));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
