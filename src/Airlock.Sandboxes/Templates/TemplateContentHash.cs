using System.Security.Cryptography;
using System.Text;
using Airlock.Sandboxes.Files;

namespace Airlock.Sandboxes.Templates;

/// <summary>
/// A fingerprint of a forked template dir (every file's path and bytes) and of the inputs given beside it (the base
/// image, the uid): equal fingerprints build equal images, so an image tagged with it can be reused instead of rebuilt.
/// </summary>
public static class TemplateContentHash
{
    public static string Of(string dir, params IEnumerable<string> inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(input + "\0"));
        }

        // Links are hashed as what they say, never read through: the dir may hold a template's files.
        foreach (var entry in FileTree.Walk(dir).Where(e => e.Kind is EntryKind.File or EntryKind.Link).OrderBy(e => e.RelativePath, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(entry.RelativePath + "\0"));
            hash.AppendData(entry.Kind == EntryKind.File ? File.ReadAllBytes(entry.FullPath) : Encoding.UTF8.GetBytes("\0link\0" + entry.LinkTarget));
            hash.AppendData("\0"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
