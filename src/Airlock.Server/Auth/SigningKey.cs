using System.Security.Cryptography;

namespace Airlock.Server.Auth;

/// <summary>One token signing key: 32 random bytes, named in each token's <c>kid</c> header by a hash of it.</summary>
public sealed record SigningKey(string Id, byte[] Secret)
{
    /// <summary>Keys shorter than this are refused: HS256 wants at least the hash's length.</summary>
    public const int MinBytes = 32;

    public static SigningKey New() => From(RandomNumberGenerator.GetBytes(MinBytes));

    public static SigningKey From(byte[] secret) => new(Convert.ToHexStringLower(SHA256.HashData(secret))[..16], secret);

    public string Encoded => Convert.ToBase64String(Secret);
}
