namespace Airlock.Client;

/// <summary>
/// A client of <c>airlock serve</c>, one connection pool for all its calls (keep one per server and credential).
/// <code>
/// using var airlock = new AirlockClient(new AirlockClientOptions(new Uri("http://127.0.0.1:8470"), key));
/// var sandbox = await airlock.Sandboxes.CreateAsync(new CreateSandboxBody("build-1", "localhost/airlock-base:bookworm", ["sleep", "infinity"], null, null, null, null, null, null));
/// await foreach (var e in airlock.Sandboxes.ExecStreamAsync(sandbox.Id, new ExecBody(["make", "test"], null, null, null, null)))
///     Console.Write(e.Data);
/// </code>
/// </summary>
public sealed class AirlockClient : IDisposable
{
    private readonly AirlockTransport _http;

    public AirlockClient(AirlockClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Server.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"the server '{options.Server}' is not an http(s) URL", nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new ArgumentException("the token is empty: give an API key (alk_...) or a token issued from one", nameof(options));
        }

        _http = new AirlockTransport(options with { Token = options.Token.Trim() });
        Sandboxes = new SandboxesClient(_http);
        Files = new FilesClient(_http);
        Snapshots = new SnapshotsClient(_http);
        Tenants = new TenantsClient(_http);
        Keys = new KeysClient(_http);
        Secrets = new SecretsClient(_http);
    }

    /// <summary>The server's base URL (with a trailing slash).</summary>
    public Uri Server => _http.Server;

    public SandboxesClient Sandboxes { get; }

    public FilesClient Files { get; }

    public SnapshotsClient Snapshots { get; }

    public TenantsClient Tenants { get; }

    public KeysClient Keys { get; }

    public SecretsClient Secrets { get; }

    public void Dispose() => _http.Dispose();
}
