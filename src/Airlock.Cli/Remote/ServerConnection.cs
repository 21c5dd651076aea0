using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Airlock.Cli.Errors;

namespace Airlock.Cli.Remote;

/// <summary>
/// One CLI invocation's connection to <c>airlock serve</c>: the URL from <c>--server</c> or AIRLOCK_SERVER, the
/// credential from AIRLOCK_TOKEN. Turns every non-2xx answer into a <see cref="RemoteApiException"/> carrying the
/// server's own message, and a missing server into a <see cref="ServerUnreachableException"/>.
/// </summary>
public sealed class ServerConnection : IDisposable
{
    public const string ServerVariable = "AIRLOCK_SERVER";
    public const string TokenVariable = "AIRLOCK_TOKEN";
    public const string DefaultServer = "http://127.0.0.1:8470";

    private readonly HttpClient _http;
    private readonly string _token;

    private ServerConnection(Uri server, string token)
    {
        Server = server;
        _token = token;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = server,
            // Exec and followed logs last as long as they last; Ctrl-C cancels them.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("airlock-cli/" + AirlockVersion.Number);
    }

    public Uri Server { get; }

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

        // A base address without a trailing slash would drop its last segment from every relative path.
        var server = uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
        return new ServerConnection(server, token.Trim());
    }

    public static HttpContent Json<T>(T body, JsonTypeInfo<T> type) =>
        new StringContent(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json");

    /// <summary>Sends a request and reads a JSON answer.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> answer, string? notFoundFix, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, notFoundFix, HttpCompletionOption.ResponseContentRead, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return await JsonSerializer.DeserializeAsync(stream, answer, ct)
            ?? throw new InvalidOperationException($"{method} {path}: the server answered {(int)response.StatusCode} with an empty body");
    }

    /// <summary>Sends a request whose answer has no body of interest (204).</summary>
    public async Task SendAsync(HttpMethod method, string path, string? notFoundFix, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, null, notFoundFix, HttpCompletionOption.ResponseContentRead, ct);
    }

    /// <summary>Sends a request and hands back the successful answer as soon as its headers arrive (for streams).</summary>
    public async Task<HttpResponseMessage> SendRawAsync(
        HttpMethod method, string path, HttpContent? body, string? notFoundFix, HttpCompletionOption completion, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, ct);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex.InnerException is SocketException socket ? Describe(socket) : ex.Message, ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw Unreachable("no connection within 10 s", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(method, path, response, notFoundFix, ct);
        }
    }

    /// <summary>
    /// Opens a WebSocket to <paramref name="path"/> with the caller's credentials. A refused upgrade is reported with its
    /// status as any refused request is (the server cannot send a body with it, so the caller checks what it can first).
    /// </summary>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(string path, string? notFoundFix, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + _token);
        socket.Options.SetRequestHeader("User-Agent", "airlock-cli/" + AirlockVersion.Number);
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(new Uri(Server, path.TrimStart('/'))) { Scheme = Server.Scheme == "https" ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, ct);
            return socket;
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and var status)
        {
            socket.Dispose();
            var fix = status switch
            {
                HttpStatusCode.Unauthorized => $"set {TokenVariable} to an active API key (alk_...) or an unexpired token",
                HttpStatusCode.Forbidden => "use a key whose role allows this (an operator key or above)",
                HttpStatusCode.NotFound => notFoundFix,
                HttpStatusCode.Conflict => "start the sandbox first: airlock sandbox start SANDBOX",
                _ => null,
            };
            throw new RemoteApiException((int)status, $"the server refused GET /{path.TrimStart('/')} ({(int)status}): {ex.Message}", [], fix, null);
        }
        catch (WebSocketException ex)
        {
            socket.Dispose();
            throw Unreachable(ex.InnerException?.Message ?? ex.Message, ex);
        }
    }

    private ServerUnreachableException Unreachable(string why, Exception inner) => new(
        $"cannot reach the Airlock server at {Server}: {why}",
        $"is `airlock serve` running at {Server}? Start it with `airlock serve`, or point --server (or {ServerVariable}) at where it runs",
        inner);

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens there)",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve",
        SocketError.TimedOut => "the connection timed out",
        _ => socket.Message,
    };

    private async Task<Exception> ToExceptionAsync(HttpMethod method, string path, HttpResponseMessage response, string? notFoundFix, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct);
        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = JsonSerializer.Deserialize(text, RemoteJson.Default.Problem);
            }
            catch (JsonException)
            {
                // Not the server's problem format: fall back to the raw text below.
            }
        }

        // With a field list, the detail repeats it: the title and the list (printed below it) say it once.
        var detail = problem is { Errors.Count: > 0, Title: { } title } ? title
            : problem?.Detail ?? problem?.Title ?? (text.Length > 0 ? text.Trim() : response.ReasonPhrase ?? "no details");
        var unknownRoute = status == 404 && detail.StartsWith($"there is no {method} ", StringComparison.Ordinal);
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)Math.Ceiling(delta.TotalSeconds) : (int?)null;
        var message = $"the server refused {method} /{path.TrimStart('/')} ({status}): {detail}";
        var fix = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => $"set {TokenVariable} to an active API key (alk_...) or an unexpired token; a revoked key is refused",
            // A sandbox's network beyond its tenant's ceiling is not the key's role: no key of the tenant may do it.
            HttpStatusCode.Forbidden when detail.Contains("/v1/tenants/{tenant}/egress", StringComparison.Ordinal) =>
                "stay within the ceiling (`airlock tenant egress TENANT` shows it), or ask the system admin to widen it: airlock tenant egress TENANT --allow DEST (--open for open)",
            HttpStatusCode.Forbidden => "use a key whose role allows this (viewer < operator < admin; tenants and system keys need a system admin key)",
            HttpStatusCode.NotFound when unknownRoute => $"the server at {Server} does not offer this (it is older than this airlock, or the feature is not there yet); upgrade the server",
            HttpStatusCode.NotFound => notFoundFix,
            HttpStatusCode.TooManyRequests => $"wait {retryAfter ?? 1} s and try again, or ask the operator for a higher tier",
            HttpStatusCode.ServiceUnavailable => $"the server's engine or database is down; check `curl {Server}readyz`, then try again",
            HttpStatusCode.BadRequest => "correct what is named above; the command's --help has examples",
            _ => null,
        };
        return new RemoteApiException(status, message, problem?.Errors ?? [], fix, retryAfter);
    }

    public void Dispose() => _http.Dispose();
}
