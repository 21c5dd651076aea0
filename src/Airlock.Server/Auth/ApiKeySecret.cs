using System.Security.Cryptography;
using System.Text;

namespace Airlock.Server.Auth;

/// <summary>
/// The format of an API key: <c>alk_ID_SECRET</c>. The id (public, the key's row) finds the key; the secret is 32 random
/// bytes, kept only as its SHA-256, so a leaked database yields no usable key. A slow hash is not needed: the secret is
/// random, not a password.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "alk_";

    public static (string Id, string Key, string Hash) Generate()
    {
        var id = "k" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key into its id and secret; false when it is not shaped like one of ours.</summary>
    public static bool TryParse(string presented, out string id, out string secret)
    {
        id = secret = "";
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = presented[Prefix.Length..];
        var split = rest.IndexOf('_', StringComparison.Ordinal);
        if (split is < 2 or > 40 || split == rest.Length - 1)
        {
            return false;
        }

        id = rest[..split];
        secret = rest[(split + 1)..];
        return true;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
