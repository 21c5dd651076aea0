using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Airlock.Server.Auth;

/// <summary>
/// JWT bearer tokens (HS256) minted from an API key by <c>POST /v1/tokens</c>: short-lived, carrying the key's tenant,
/// role and tier, and checked without a database read. The signing key is kept in the database, so every server on it
/// accepts every server's tokens. A revoked key's tokens stay valid until they expire (at most <see cref="MaxLifetime"/>).
/// </summary>
public sealed class TokenService(byte[] signingKey, TimeProvider time)
{
    public const string Issuer = "airlock";
    public const string Audience = "airlock-api";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    private readonly SymmetricSecurityKey _key = new(signingKey);
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public (string Token, DateTimeOffset ExpiresAt) Issue(Caller caller, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = caller.ToPrincipal("jwt").Identities.First(),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        };
        return (_handler.CreateToken(descriptor), expires);
    }

    /// <summary>The caller a token stands for, or the reason it is refused.</summary>
    public async Task<(Caller? Caller, string? Error)> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } e && now <= e.AddSeconds(30) && (notBefore is not { } nb || now >= nb.AddSeconds(-30));
            },
        });
        if (!result.IsValid)
        {
            return (null, result.Exception is SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException ? "the token has expired" : "the token is not valid");
        }

        var caller = Caller.FromPrincipal(new ClaimsPrincipal(result.ClaimsIdentity));
        return caller is null ? (null, "the token lacks Airlock's claims") : (caller, null);
    }
}
