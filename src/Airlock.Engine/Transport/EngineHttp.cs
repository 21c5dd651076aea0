using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Airlock.Engine.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airlock.Engine.Transport;

/// <summary>
/// HTTP/1.1 to one engine endpoint: pooled requests through <see cref="HttpClient"/>, and hand-made upgrade requests for
/// attach and exec, whose raw socket we keep so stdin can be half-closed.
/// </summary>
internal sealed class EngineHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _client;
    private readonly ILogger _logger;

    public EngineHttp(EngineEndpoint endpoint, ILogger? logger = null)
    {
        Endpoint = endpoint;
        _logger = logger ?? NullLogger.Instance;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) => new NetworkStream(await EngineSocket.ConnectAsync(endpoint, ct), ownsSocket: true),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler)
        {
            BaseAddress = new Uri(endpoint.IsUnix ? "http://engine" : $"http://{endpoint.Address}:{endpoint.Port}"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public EngineEndpoint Endpoint { get; }

    /// <summary>A client of another endpoint with the same log and API version (podman's runtime-bound service, say).</summary>
    public EngineHttp For(EngineEndpoint endpoint) => new(endpoint, _logger) { Version = Version };

    public EngineApiVersion Version { get; set; } = EngineApiVersion.Pinned;

    public string Path(string path) => $"/v{Version}{path}";

    /// <summary>Sends a request; non-success statuses become typed exceptions. The caller owns the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, string operation, CancellationToken ct, bool streamResponse = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, streamResponse ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is EngineUnreachableException unreachable)
        {
            throw unreachable;
        }
        catch (HttpRequestException ex)
        {
            throw EngineSocket.Unreachable(Endpoint, ex);
        }

        EngineLog.Request(_logger, method.Method, path, (int)response.StatusCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw EngineErrorMapper.FromResponse(response.StatusCode, body, operation);
        }
    }

    /// <summary>
    /// Sends a request and returns the answer whatever its status, for the few calls whose error answers still carry what
    /// is asked (podman's HEAD of a dangling link: 404, with the link's stat header). The caller owns the response.
    /// </summary>
    public async Task<HttpResponseMessage> SendUncheckedAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            EngineLog.Request(_logger, method.Method, path, (int)response.StatusCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (HttpRequestException ex) when (ex.InnerException is EngineUnreachableException unreachable)
        {
            throw unreachable;
        }
        catch (HttpRequestException ex)
        {
            throw EngineSocket.Unreachable(Endpoint, ex);
        }
    }

    public async Task SendAsync(HttpMethod method, string path, string operation, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, null, operation, ct);
    }

    public async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, string operation, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, operation, ct);
        return await ReadJsonAsync(response, type, operation, ct);
    }

    public async Task<TResponse> PostJsonAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, string operation, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, path, JsonContent(body, requestType), operation, ct);
        return await ReadJsonAsync(response, responseType, operation, ct);
    }

    public static ByteArrayContent JsonContent<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = JsonType;
        return content;
    }

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, type, ct)
                ?? throw new EngineException($"{operation}: the engine answered with an empty body");
        }
        catch (JsonException ex)
        {
            throw new EngineException($"{operation}: the engine's answer is not the JSON Airlock expects ({ex.Message})", response.StatusCode, null, ex);
        }
    }

    /// <summary>
    /// Writes a request without a body on a fresh connection and closes it without reading the answer. Both engines carry
    /// a request they have read through to its end when the client goes away (checked for removals on podman 4.3 and
    /// Docker 20.10), so a caller can hand the engine work whose result nobody needs, such as removing a container that
    /// has exited, instead of making a person wait for it. Failures to connect or write still throw.
    /// </summary>
    public async Task SendDetachedAsync(HttpMethod method, string path, CancellationToken ct)
    {
        using var socket = await EngineSocket.ConnectAsync(Endpoint, ct);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{method.Method} {path} HTTP/1.1\r\n")
            .Append(HostHeader())
            .Append("Connection: close\r\n\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()), SocketFlags.None, ct);
        EngineLog.Detached(_logger, method.Method, path);
    }

    private string HostHeader() => Endpoint.IsUnix ? "Host: engine\r\n" : $"Host: {Endpoint.Address}:{Endpoint.Port}\r\n";

    /// <summary>
    /// Sends an upgrade request (attach, exec start) on a fresh connection and returns the raw stream once the engine
    /// answers 101 (or 200, which older engines send before switching to the raw stream).
    /// </summary>
    public async Task<HijackedStream> HijackAsync(string path, byte[]? jsonBody, string operation, CancellationToken ct)
    {
        var socket = await EngineSocket.ConnectAsync(Endpoint, ct);
        try
        {
            var head = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"POST {path} HTTP/1.1\r\n")
                .Append(HostHeader())
                .Append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
            if (jsonBody is not null)
            {
                head.Append(CultureInfo.InvariantCulture, $"Content-Type: application/json\r\nContent-Length: {jsonBody.Length}\r\n");
            }

            head.Append("\r\n");
            var headBytes = Encoding.ASCII.GetBytes(head.ToString());
            var payload = jsonBody is null ? headBytes : [.. headBytes, .. jsonBody];
            await socket.SendAsync(payload, SocketFlags.None, ct);

            var (status, headers, leftover) = await ReadResponseHeadAsync(socket, ct);
            EngineLog.Hijack(_logger, path, status);
            if (status is 101 or 200)
            {
                return new HijackedStream(socket, leftover);
            }

            var body = await ErrorBodyReader.ReadAsync(socket, status, headers, leftover, ct);
            throw EngineErrorMapper.FromResponse((HttpStatusCode)status, body, operation);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<(int Status, Dictionary<string, string> Headers, ReadOnlyMemory<byte> Leftover)> ReadResponseHeadAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                throw new EngineException("the engine sent response headers larger than 8 KiB");
            }

            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, ct);
            if (n == 0)
            {
                throw new EngineException("the engine closed the connection before answering");
            }

            filled += n;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                continue;
            }

            var lines = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n");
            var statusParts = lines[0].Split(' ', 3);
            if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new EngineException($"the engine answered with a malformed status line: {lines[0]}");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            return (status, headers, buffer.AsMemory(end + 4, filled - end - 4).ToArray());
        }
    }

    public void Dispose() => _client.Dispose();
}
