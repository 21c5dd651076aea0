using System.Security.Cryptography;
using System.Text;

namespace Airlock.Launcher.Templates;

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

        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(dir, file)));
            hash.AppendData("\0"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
