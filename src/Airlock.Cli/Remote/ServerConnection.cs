using System.Net;
using Airlock.Cli.Errors;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary>
/// One CLI invocation's <see cref="AirlockClient"/>: the URL from <c>--server</c> or AIRLOCK_SERVER, the credential from
/// AIRLOCK_TOKEN. Every call goes through <see cref="CallAsync{T}"/>, which turns the client's errors into the CLI's
/// (<see cref="RemoteApiException"/>, <see cref="ServerUnreachableException"/>) with the fix a person at a terminal needs.
/// </summary>
public sealed class ServerConnection : IDisposable
{
    public const string ServerVariable = "AIRLOCK_SERVER";
    public const string TokenVariable = "AIRLOCK_TOKEN";
    public const string DefaultServer = "http://127.0.0.1:8470";

    private ServerConnection(AirlockClient client) => Client = client;

    public AirlockClient Client { get; }

    public Uri Server => Client.Server;

    /// <summary>Reads the server URL and token; every problem with them is exit 2 with the fix, before any request.</summary>
    public static ServerConnection Open(CliContext context, string? serverFlag)
    {
        var text = serverFlag ?? (context.GetVariable(ServerVariable) is { Length: > 0 } fromEnv ? fromEnv : DefaultServer);
        var source = serverFlag is not null ? "--server" : context.GetVariable(ServerVariable) is { Length: > 0 } ? ServerVariable : "the default server";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0)
        {
            throw new UserInputException($"{source} '{text}' is not an http(s) URL of an Airlock server", $"give one like --server {DefaultServer} (or set {ServerVariable})");
        }

        var token = context.GetVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new UserInputException(
                $"{TokenVariable} is not set: the server at {uri} needs an API key or token",
                $"export {TokenVariable}=alk_... (a key from `airlock key create`; the server's first admin key is in ~/.airlock/server/bootstrap-key)");
        }

        return new ServerConnection(new AirlockClient(new AirlockClientOptions(uri, token) { UserAgent = "airlock-cli/" + AirlockVersion.Number }));
    }

    /// <summary>Makes one call of the client; a refusal comes back with the fix (<paramref name="notFoundFix"/> for a 404).</summary>
    public async Task<T> CallAsync<T>(Func<AirlockClient, Task<T>> call, string? notFoundFix = null)
    {
        try
        {
            return await call(Client);
        }
        catch (Exception ex) when (ex is AirlockApiException or AirlockUnreachableException)
        {
            throw Translate(ex, notFoundFix);
        }
    }

    public async Task CallAsync(Func<AirlockClient, Task> call, string? notFoundFix = null)
    {
        try
        {
            await call(Client);
        }
        catch (Exception ex) when (ex is AirlockApiException or AirlockUnreachableException)
        {
            throw Translate(ex, notFoundFix);
        }
    }

    /// <summary>The CLI's form of a client error (for streams, whose errors come while they are read).</summary>
    public Exception Translate(Exception error, string? notFoundFix) => error switch
    {
        AirlockUnreachableException unreachable => new ServerUnreachableException(
            unreachable.Message,
            $"is `airlock serve` running at {Server}? Start it with `airlock serve`, or point --server (or {ServerVariable}) at where it runs",
            unreachable),
        AirlockApiException refused => new RemoteApiException(refused.Status, refused.Message, refused.Fields, Fix(refused, notFoundFix), RetryAfterSeconds(refused)),
        _ => error,
    };

    private static int? RetryAfterSeconds(AirlockApiException refused) => refused.RetryAfter is { } delta ? (int)Math.Ceiling(delta.TotalSeconds) : null;

    private string? Fix(AirlockApiException refused, string? notFoundFix) => (HttpStatusCode)refused.Status switch
    {
        HttpStatusCode.Unauthorized => $"set {TokenVariable} to an active API key (alk_...) or an unexpired token; a revoked key is refused",
        // A sandbox's network beyond its tenant's ceiling is not the key's role: no key of the tenant may do it.
        HttpStatusCode.Forbidden when refused.Detail.Contains("/v1/tenants/{tenant}/egress", StringComparison.Ordinal) =>
            "stay within the ceiling (`airlock tenant egress TENANT` shows it), or ask the system admin to widen it: airlock tenant egress TENANT --allow DEST (--open for open)",
        HttpStatusCode.Forbidden => "use a key whose role allows this (viewer < operator < admin; tenants and system keys need a system admin key)",
        HttpStatusCode.NotFound when refused.IsUnknownRoute => $"the server at {Server} does not offer this (it is older than this airlock, or the feature is not there yet); upgrade the server",
        HttpStatusCode.NotFound => notFoundFix,
        HttpStatusCode.Conflict when refused.Path.EndsWith("/terminal", StringComparison.Ordinal) => "start the sandbox first: airlock sandbox start SANDBOX",
        HttpStatusCode.TooManyRequests => $"wait {RetryAfterSeconds(refused) ?? 1} s and try again, or ask the operator for a higher tier",
        HttpStatusCode.ServiceUnavailable => $"the server's engine or database is down; check `curl {Server}readyz`, then try again",
        HttpStatusCode.BadRequest => "correct what is named above; the command's --help has examples",
        _ => null,
    };

    public void Dispose() => Client.Dispose();
}
