using System.Net;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Conduit;

/// <summary>
/// The OpenAI-compatible endpoint agents are pointed at, as the user gave it (a preset or a URL), always in the host's
/// terms: <c>127.0.0.1</c> means the host's loopback, wherever conduit runs. <see cref="UrlFrom"/> gives the URL as seen
/// from a site.
/// </summary>
public sealed record ConduitEndpoint(string Url, string? Preset)
{
    public static readonly IReadOnlyDictionary<string, string> Presets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ollama"] = "http://127.0.0.1:11434/v1",
        ["lmstudio"] = "http://127.0.0.1:1234/v1",
        ["vllm"] = "http://127.0.0.1:8000/v1",
        ["llamacpp"] = "http://127.0.0.1:8080/v1",
    };

    public Uri Uri => new(Url);

    /// <summary>True when the endpoint is on the host's loopback, so a sandbox needs the port forwarded and the host name rewritten.</summary>
    public bool OnHostLoopback => IsLoopback(Uri.Host);

    /// <summary>The host port a sandbox must be allowed to reach, or null when the endpoint is not on the host's loopback.</summary>
    public int? HostPort => OnHostLoopback ? Uri.Port : null;

    /// <summary>The endpoint's URL as seen from <paramref name="site"/>: inside a sandbox the host's loopback is host.airlock.internal.</summary>
    public string UrlFrom(ConduitSite site)
    {
        if (site == ConduitSite.Host || !OnHostLoopback)
        {
            return Url;
        }

        var builder = new UriBuilder(Uri) { Host = NetworkPolicy.HostServiceName };
        return builder.Uri.ToString().TrimEnd('/');
    }

    /// <summary>Reads a preset name or an http(s) URL; anything else is refused with what to type instead.</summary>
    public static ConduitEndpoint Parse(string text)
    {
        var trimmed = text.Trim();
        if (Presets.TryGetValue(trimmed.ToLowerInvariant(), out var preset))
        {
            return new ConduitEndpoint(preset, trimmed.ToLowerInvariant());
        }

        const string Fix = "give a preset (ollama, lmstudio, vllm, llamacpp) or the server's OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1";
        if (!trimmed.Contains("://", StringComparison.Ordinal))
        {
            throw new ConduitException($"endpoint '{text}': not a preset and not a URL", Fix);
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw new ConduitException($"endpoint '{text}': not a valid URL", Fix);
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            throw new ConduitException($"endpoint '{text}': scheme '{uri.Scheme}' is not supported; agents speak http or https", Fix);
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new ConduitException($"endpoint '{text}': the URL carries credentials, which would be stored and shown in the clear",
                "give the URL without user:password@ and the key with: airlock conduit set api-key --stdin");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ConduitException($"endpoint '{text}': a base URL has no ?query or #fragment; agents append paths such as /models to it", Fix);
        }

        var url = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new ConduitEndpoint(url, null);
    }

    /// <summary>A hint when the URL has no path: nearly every OpenAI-compatible server serves under /v1.</summary>
    public string? PathHint => Uri.AbsolutePath is "/" or "" ? $"{Url} has no path; most OpenAI-compatible servers serve under /v1 (try {Url}/v1)" : null;

    private static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.Any));
    }
}
