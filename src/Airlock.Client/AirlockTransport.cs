using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Airlock.Client;

/// <summary>
/// The one HTTP connection of a client: every request goes out through here with the bearer credential, and every
/// non-2xx answer comes back as an <see cref="AirlockApiException"/> with the server's problem details, a missing
/// server as an <see cref="AirlockUnreachableException"/>.
/// </summary>
internal sealed class AirlockTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly AirlockClientOptions _options;

    public AirlockTransport(AirlockClientOptions options)
    {
        _options = options;
        // A base address without a trailing slash would drop its last segment from every relative path.
        Server = options.Server.AbsolutePath.EndsWith('/') ? options.Server : new Uri(options.Server + "/");
        var handler = options.Handler ?? new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) };
        _http = new HttpClient(handler, disposeHandler: options.Handler is null)
        {
            BaseAddress = Server,
            // Streamed exec and followed logs last as long as they last; the caller's token cancels them.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
    }

    public Uri Server { get; }

    public static HttpContent Json<T>(T body, JsonTypeInfo<T> type) =>
        new StringContent(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json");

    /// <summary>One path segment from a caller's value (an id, a name): escaped, so it can never be more than one.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    public static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? path : path + "?" + string.Join('&', given);
    }

    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> answer, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, answer, ct).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{method} /{path}: the server answered {(int)response.StatusCode} with an empty body");
        }
    }

    public async Task SendAsync(HttpMethod method, string path, HttpContent? body, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a request and hands back the successful answer as soon as its headers arrive (for streams).</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? body, HttpCompletionOption completion, CancellationToken ct)
    {
        path = path.TrimStart('/');
        using var request = new HttpRequestMessage(method, path) { Content = body };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new AirlockUnreachableException(Server, ex.InnerException is SocketException socket ? Describe(socket) : ex.Message, ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new AirlockUnreachableException(Server, $"no connection within {_options.ConnectTimeout.TotalSeconds:0} s", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(method.Method, path, response, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Opens a WebSocket to <paramref name="path"/> with the caller's credential.</summary>
    public async Task<ClientWebSocket> ConnectWebSocketAsync(string path, CancellationToken ct)
    {
        path = path.TrimStart('/');
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", _http.DefaultRequestHeaders.Authorization!.ToString());
        socket.Options.SetRequestHeader("User-Agent", _options.UserAgent);
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(new Uri(Server, path)) { Scheme = Server.Scheme == "https" ? "wss" : "ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, ct).ConfigureAwait(false);
            return socket;
        }
        catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and var status)
        {
            socket.Dispose();
            // A refused upgrade carries no body the socket hands over: the status is all there is.
            throw new AirlockApiException("GET", path, (int)status, new Problem(ex.Message, (int)status, null, null), null, null);
        }
        catch (WebSocketException ex)
        {
            socket.Dispose();
            throw new AirlockUnreachableException(Server, ex.InnerException?.Message ?? ex.Message, ex);
        }
    }

    private static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens there)",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name does not resolve",
        SocketError.TimedOut => "the connection timed out",
        _ => socket.Message,
    };

    private static async Task<AirlockApiException> ToExceptionAsync(string method, string path, HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = JsonSerializer.Deserialize(text, AirlockJson.Default.Problem);
            }
            catch (JsonException)
            {
                // Not the server's problem format: the raw text is kept instead.
            }
        }

        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new AirlockApiException(method, path, (int)response.StatusCode, problem, text, retryAfter);
    }

    public void Dispose() => _http.Dispose();
}
