using System.Text.Encodings.Web;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.RateLimiting;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Airlock.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer alk_...</c> (an API key) or <c>Authorization: Bearer eyJ...</c> (a token from POST /v1/tokens).
/// A token stands for the key it was minted from: that key must still be active and still have the token's tenant,
/// role and tenant generation (read through the key cache, so within <see cref="ApiKeyCache.Lifetime"/> of a change
/// made elsewhere), and the caller gets the key's current tier. A key this server has not cached is read from the
/// database only while the client's address has room in the <see cref="AnonymousLimiter"/>: guessing keys costs a
/// database read each, and that is bounded like every other request without a valid credential.
/// </summary>
public sealed class AirlockAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    TokenService tokens,
    AnonymousLimiter anonymous)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Airlock";
    private const string FailureItem = "airlock.auth.failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail("the Authorization header must be 'Bearer <api key or token>'");
        }

        var credential = header["Bearer ".Length..].Trim();
        var address = Context.ClientAddress();
        bool MayRead() => anonymous.HasRoom(address);
        if (credential.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal))
        {
            var found = await keys.AuthenticateAsync(credential, MayRead, Context.RequestAborted);
            return found switch
            {
                { Key: { } key } => Success(new Caller(key.Info.Id, key.Info.TenantId, key.Info.Role, key.Tier) { TenantGeneration = key.TenantGeneration }),
                { Throttled: true } => Fail(Throttled),
                _ => Fail("the API key is unknown or revoked"),
            };
        }

        var (claims, error) = await tokens.ValidateAsync(credential);
        if (claims is null)
        {
            return Fail(error ?? "the token is not valid");
        }

        var bound = await keys.FindActiveAsync(claims.KeyId, MayRead, Context.RequestAborted);
        if (bound.Throttled)
        {
            return Fail(Throttled);
        }

        if (bound.Key is not { } minter || minter.Info.TenantId != claims.TenantId || minter.Info.Role != claims.Role
            || (claims.TenantId is not null && minter.TenantGeneration != claims.TenantGeneration))
        {
            return Fail("the key this token was minted from has been revoked or changed, or its tenant deleted; mint a new token with an active API key");
        }

        return Success(new Caller(minter.Info.Id, minter.Info.TenantId, minter.Info.Role, minter.Tier) { ViaToken = true, TenantGeneration = minter.TenantGeneration });
    }

    private const string Throttled = "too many requests without a valid credential from this address; a key new to this server is checked once there is room again";

    private AuthenticateResult Success(Caller caller)
    {
        Context.Items[typeof(Caller)] = caller;
        return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"airlock\"";
        var reason = Context.Items[FailureItem] as string ?? "this needs an API key or token: send 'Authorization: Bearer <key>'";
        return ProblemWriter.WriteAsync(Context, new ApiException(401, "unauthenticated", reason));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(Context, ApiException.Forbidden("the key may not do this"));
}
