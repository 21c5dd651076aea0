using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Airlock.Server.Auth;

/// <summary>
/// JWT bearer tokens (HS256) minted from an API key by <c>POST /v1/tokens</c>. A token names the key it was minted
/// from, that key's role and tenant, and the tenant's generation; it is a short-lived stand-in for the key, never more:
/// the authentication handler checks the key is still active and still says the same (so a revoked key or a deleted
/// tenant ends its tokens), and here the lifetime is capped when a token is checked, not only when it is minted (a
/// token forged with a leaked signing key cannot live ten years). Signing keys come from <see cref="SigningKeyRing"/>.
/// </summary>
public sealed class TokenService(SigningKeyRing keys, TimeProvider time)
{
    public const string Issuer = "airlock";
    public const string Audience = "airlock-api";
    public const string GenerationClaim = "airlock:tgen";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>How far apart the clocks of servers sharing a database may be.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public (string Token, DateTimeOffset ExpiresAt) Issue(Caller caller, TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var key = keys.Current;
        var claims = new Dictionary<string, object>
        {
            [Caller.KeyClaim] = caller.KeyId,
            [Caller.RoleClaim] = Roles.Name(caller.Role),
        };
        if (caller.TenantId is not null)
        {
            claims[Caller.TenantClaim] = caller.TenantId;
            claims[GenerationClaim] = caller.TenantGeneration ?? "";
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key.Secret) { KeyId = key.Id }, SecurityAlgorithms.HmacSha256),
        };
        return (_handler.CreateToken(descriptor), expires);
    }

    /// <summary>What a token claims, once its signature, issuer, audience and lifetime are good; or why it is refused.</summary>
    public async Task<(TokenClaims? Claims, string? Error)> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            IssuerSigningKeyResolver = (_, _, kid, _) => keys.Find(kid) is { } found ? [new SymmetricSecurityKey(found.Secret) { KeyId = found.Id }] : [],
            TryAllIssuerSigningKeys = false,

            // Checked below, with the cap and a message for each way it is wrong.
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, result.Exception is SecurityTokenSignatureKeyNotFoundException
                ? "the token is signed with a key this server does not hold (rotated out, or another server's signing key file); mint a new one with POST /v1/tokens"
                : "the token is not valid");
        }

        if (LifetimeProblem(jwt) is { } problem)
        {
            return (null, problem);
        }

        if (!jwt.TryGetPayloadValue<string>(Caller.KeyClaim, out var keyId) || !jwt.TryGetPayloadValue<string>(Caller.RoleClaim, out var roleName)
            || !Roles.TryParse(roleName, out var role))
        {
            return (null, "the token lacks Airlock's claims");
        }

        jwt.TryGetPayloadValue<string>(Caller.TenantClaim, out var tenant);
        jwt.TryGetPayloadValue<string>(GenerationClaim, out var generation);
        return (new TokenClaims(keyId, tenant, role, generation), null);
    }

    private string? LifetimeProblem(JsonWebToken jwt)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out _) || !jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out _))
        {
            return "the token's lifetime is not stated (it needs iat and exp); mint one with POST /v1/tokens";
        }

        var (issued, expires) = (jwt.IssuedAt, jwt.ValidTo);
        if (expires - issued > MaxLifetime || expires - now > MaxLifetime + ClockSkew)
        {
            return $"the token's lifetime is longer than the {MaxLifetime.TotalMinutes:0} minutes a token may have; mint one with POST /v1/tokens";
        }

        if (issued > now + ClockSkew || (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out _) && jwt.ValidFrom > now + ClockSkew))
        {
            return "the token's lifetime has not started (it was issued in the future); mint one with POST /v1/tokens";
        }

        return now > expires + ClockSkew ? "the token has expired; mint a new one with POST /v1/tokens" : null;
    }
}

/// <summary>What a valid token says: the key it was minted from, that key's tenant and role, and the tenant's generation then.</summary>
public sealed record TokenClaims(string KeyId, string? TenantId, Role Role, string? TenantGeneration);
