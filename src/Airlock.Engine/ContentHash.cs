using System.Security.Cryptography;
using System.Text;

namespace Airlock.Engine;

/// <summary>
/// A short name for a piece of text's content (SHA-256, lowercase hex, cut to a length): what files, tags and locks that
/// stand for their content or key are named by, so the same content always gets the same name.
/// </summary>
public static class ContentHash
{
    public static string Short(string text, int length = 16) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];
}
