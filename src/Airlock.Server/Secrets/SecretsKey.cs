using System.Security.Cryptography;
using System.Text;

namespace Airlock.Server.Secrets;

/// <summary>
/// The server's key for what it keeps encrypted in the database (tenant secrets' values, sandboxes' certificate
/// authorities): 32 random bytes, kept outside the database (<see cref="SecretsKeyFile"/> or AIRLOCK_SECRETS_KEY).
/// Each value is sealed with AES-256-GCM under a fresh random nonce, with the row's owner (tenant and name) as associated
/// data, so a sealed value copied into another tenant's row does not open. <see cref="Id"/> names the key without
/// revealing it; rows record it, so a server given another key says so instead of failing to decrypt.
/// </summary>
public sealed class SecretsKey
{
    public const int Bytes = 32;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const string Version = "v1.";

    private readonly byte[] _key;

    private SecretsKey(byte[] key)
    {
        _key = key;
        Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("airlock secrets key id\n").Concat(key).ToArray())[..8]);
    }

    /// <summary>16 hex digits derived from the key (a hash: it tells keys apart and gives nothing of the key away).</summary>
    public string Id { get; }

    /// <summary>The key in base64, as a key file or AIRLOCK_SECRETS_KEY holds it.</summary>
    public string Encoded => Convert.ToBase64String(_key);

    public static SecretsKey New() => new(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The key in <paramref name="base64"/>; null with <paramref name="problem"/> when it is not 32 bytes of base64.</summary>
    public static SecretsKey? Parse(string base64, out string? problem)
    {
        problem = null;
        var text = base64.Trim();
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            problem = "is not base64";
            return null;
        }

        if (length != Bytes)
        {
            problem = $"holds {length} bytes; a secrets key is {Bytes} random bytes in base64 (e.g. head -c 32 /dev/urandom | base64)";
            return null;
        }

        return new SecretsKey(bytes[..Bytes]);
    }

    /// <summary><paramref name="plaintext"/> encrypted and authenticated, bound to <paramref name="owner"/>: <c>v1.</c> and base64 of nonce, ciphertext and tag.</summary>
    public string Seal(ReadOnlySpan<byte> plaintext, string owner)
    {
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), Encoding.UTF8.GetBytes(owner));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>What <see cref="Seal"/> sealed for <paramref name="owner"/>; <see cref="CryptographicException"/> when it was not (another key, another owner, changed).</summary>
    public byte[] Open(string sealedText, string owner)
    {
        if (!sealedText.StartsWith(Version, StringComparison.Ordinal))
        {
            throw new CryptographicException("the sealed value is not in a form this airlock knows");
        }

        var sealedBytes = Convert.FromBase64String(sealedText[Version.Length..]);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("the sealed value is too short");
        }

        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plaintext, Encoding.UTF8.GetBytes(owner));
        return plaintext;
    }

    /// <summary>The key's id, never the key.</summary>
    public override string ToString() => $"secrets key {Id}";
}
