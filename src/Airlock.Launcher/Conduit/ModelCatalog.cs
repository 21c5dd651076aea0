using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Airlock.Launcher.Conduit;

/// <summary>
/// Asks an OpenAI-compatible server which models it serves (<c>GET {base}/models</c>). Every way this can fail becomes a
/// <see cref="ConduitException"/> naming the URL and where it was tried from.
/// </summary>
public sealed class ModelCatalog(HttpMessageHandler? handler = null, TimeSpan? timeout = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public async Task<IReadOnlyList<string>> ListAsync(ConduitEndpoint endpoint, ConduitSite site, string? apiKey, CancellationToken ct)
    {
        var baseUrl = endpoint.UrlFrom(site);
        var url = baseUrl + "/models";
        var where = site.Describe();
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = timeout ?? DefaultTimeout;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (apiKey is { Length: > 0 })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        HttpResponseMessage response;
        string body;
        try
        {
            response = await http.SendAsync(request, ct);
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException ex)
        {
            throw new ConduitException($"cannot reach the model server at {url} from {where}: {ex.Message}", UnreachableFix(endpoint, site), serverProblem: true);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ConduitException($"the model server at {url} did not answer within {http.Timeout.TotalSeconds:0} s (tried from {where})",
                "check that the server is up and not busy loading a model, then try again", serverProblem: true);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ConduitException(
                    $"the model server at {url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}{Excerpt(body)} (tried from {where})",
                    HttpFix(response.StatusCode),
                    serverProblem: true);
            }

            var models = Parse(body) ?? throw new ConduitException(
                $"the server at {url} answered, but not with an OpenAI model list ({{\"data\": [{{\"id\": ...}}]}}){Excerpt(body)}",
                "check that the endpoint is the server's OpenAI-compatible base URL (usually ending in /v1): airlock conduit set endpoint URL",
                serverProblem: true);
            if (models.Count == 0)
            {
                throw new ConduitException($"the model server at {url} serves no models", "load or pull a model in the server first (for Ollama: ollama pull MODEL; for LM Studio: load one in its UI)");
            }

            return models;
        }
    }

    /// <summary>The ids of an OpenAI model list, or null when the answer is not one.</summary>
    internal static List<string>? Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var ids = new List<string>();
            foreach (var item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } text)
                {
                    return null;
                }

                ids.Add(text);
            }

            return ids;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string UnreachableFix(ConduitEndpoint endpoint, ConduitSite site)
    {
        if (site == ConduitSite.Sandbox && endpoint.HostPort is { } port)
        {
            return $"start the model server on the host (listening on 127.0.0.1:{port}); this sandbox reaches it only if it was started with --host-port {port} " +
                "(airlock conduit launch on the host does that)";
        }

        return endpoint.OnHostLoopback
            ? $"start the model server (listening on {endpoint.Uri.Host}:{endpoint.Uri.Port}), or point conduit elsewhere: airlock conduit set endpoint ollama|lmstudio|vllm|llamacpp|URL"
            : "check the URL and that this machine can reach it, or point conduit elsewhere: airlock conduit set endpoint URL";
    }

    private static string HttpFix(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "the server wants an API key: airlock conduit set api-key (reads it from stdin or asks)",
        HttpStatusCode.NotFound => "the endpoint is probably missing or has a wrong path: it is the part before /models, usually ending in /v1 (airlock conduit set endpoint URL)",
        _ => "check the model server's log",
    };

    private static string Excerpt(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "" : ": " + (text.Length > 200 ? text[..200] + "..." : text);
    }
}
