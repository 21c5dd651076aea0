namespace Airlock.Client;

/// <summary>Where the server is and who is calling: an API key (<c>alk_...</c>) or a token issued from one.</summary>
/// <param name="Server">The server's base URL, e.g. <c>http://127.0.0.1:8470</c>.</param>
/// <param name="Token">The bearer credential sent with every request.</param>
public sealed record AirlockClientOptions(Uri Server, string Token)
{
    /// <summary>How long a connection may take to open; the requests themselves last as long as they last.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The <c>User-Agent</c> sent with every request.</summary>
    public string UserAgent { get; init; } = "airlock-client/0.1.0";

    /// <summary>A handler of one's own (a proxy, a test double); the client then does not dispose it.</summary>
    public HttpMessageHandler? Handler { get; init; }
}
