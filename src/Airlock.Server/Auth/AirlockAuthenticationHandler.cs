using System.Text.Encodings.Web;
using Airlock.Server.Errors;
using Airlock.Server.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Airlock.Server.Auth;

/// <summary>
/// <c>Authorization: Bearer alk_...</c> (an API key) or <c>Authorization: Bearer eyJ...</c> (a token from POST /v1/tokens).
/// </summary>
public sealed class AirlockAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    TokenService tokens)
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
        if (credential.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal))
        {
            var found = await keys.AuthenticateAsync(credential, Context.RequestAborted);
            if (found is not { } match)
            {
                return Fail("the API key is unknown or revoked");
            }

            var caller = new Caller(match.Key.Id, match.Key.TenantId, match.Key.Role, match.Tier);
            return Success(caller);
        }

        var (fromToken, error) = await tokens.ValidateAsync(credential);
        return fromToken is null ? Fail(error ?? "the token is not valid") : Success(fromToken);
    }

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
