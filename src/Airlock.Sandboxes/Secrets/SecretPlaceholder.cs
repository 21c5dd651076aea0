using System.Security.Cryptography;

namespace Airlock.Sandboxes.Secrets;

/// <summary>
/// The stand-in a sandbox sees instead of a secret: a marker, the secret's name (so a person reading it knows what it
/// stands for) and 128 random bits, new for every sandbox. Guessing another sandbox's placeholder is as hard as
/// guessing a key, and one is worth nothing outside the policy point that made it.
/// </summary>
public static class SecretPlaceholder
{
    public const string Marker = "airlock-placeholder-";

    public static string New(string secretName)
    {
        var name = new string(secretName.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).Take(32).ToArray());
        return $"{Marker}{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
    }
}
