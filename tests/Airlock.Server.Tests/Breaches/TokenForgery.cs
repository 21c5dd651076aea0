using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;
using Dapper;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// What a local attacker who read the server's signing key does with it: HS256 tokens with any claims and lifetime.
/// The header is copied from a token the server minted, as an attacker would (it names the key the server signs with).
/// </summary>
internal static class TokenForgery
{
    /// <summary>The signing key as a local user who can read the server's files gets it: its key file, else (old servers) its database.</summary>
    public static async Task<byte[]> StealSigningKeyAsync(ServerHarness server)
    {
        var file = Path.Combine(server.Dir, "signing-key");
        if (File.Exists(file))
        {
            var line = (await File.ReadAllLinesAsync(file, Ct)).First(l => l.Length > 0 && !l.StartsWith('#'));
            return Convert.FromBase64String(line.Trim());
        }

        await using var connection = await server.Database.Database.OpenAsync(Ct);
        return Convert.FromBase64String(await connection.ExecuteScalarAsync<string>("SELECT value FROM server_settings WHERE name = 'jwt-signing-key'")
            ?? throw new InvalidOperationException("no signing key found in the file or the database"));
    }

    public static string HeaderOf(string token) => token[..token.IndexOf('.', StringComparison.Ordinal)];

    public static JsonObject PayloadOf(string token) => JsonNode.Parse(Base64UrlDecode(token.Split('.')[1]))!.AsObject();

    public static string Sign(byte[] key, string header, JsonObject payload)
    {
        var body = header + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return body + "." + Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(body)));
    }

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The public id of an <c>alk_ID_SECRET</c> key.</summary>
    public static string KeyId(string key) => key.Split('_')[1];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }

    public static JsonObject Claims(string keyId, string role, string? tenant, long issuedAt, long expires)
    {
        var claims = new JsonObject
        {
            ["iss"] = "airlock",
            ["aud"] = "airlock-api",
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = expires,
            ["airlock:key"] = keyId,
            ["airlock:role"] = role,
        };
        if (tenant is not null)
        {
            claims["airlock:tenant"] = tenant;
        }

        return claims;
    }
}
