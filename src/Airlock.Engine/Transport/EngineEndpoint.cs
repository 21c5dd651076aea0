namespace Airlock.Engine.Transport;

/// <summary>Where an engine listens: a unix socket path or a tcp host and port.</summary>
public sealed record EngineEndpoint
{
    private EngineEndpoint(string scheme, string address, int port)
    {
        Scheme = scheme;
        Address = address;
        Port = port;
    }

    /// <summary><c>unix</c> or <c>tcp</c>.</summary>
    public string Scheme { get; }

    /// <summary>The socket path for unix, the host name for tcp.</summary>
    public string Address { get; }

    public int Port { get; }

    public bool IsUnix => Scheme == "unix";

    public static EngineEndpoint Unix(string path) => new("unix", path, 0);

    public static EngineEndpoint Tcp(string host, int port) => new("tcp", host, port);

    /// <summary>
    /// Parses <c>unix:///run/podman/podman.sock</c>, <c>tcp://host:2375</c>, <c>http://host:2375</c>, or a bare absolute socket path.
    /// </summary>
    public static EngineEndpoint Parse(string text)
    {
        if (!TryParse(text, out var endpoint, out var error))
        {
            throw new FormatException(error);
        }

        return endpoint;
    }

    public static bool TryParse(string text, out EngineEndpoint endpoint, out string error)
    {
        endpoint = null!;
        error = "";
        var value = text.Trim();
        if (value.StartsWith('/'))
        {
            endpoint = Unix(value);
            return true;
        }

        if (value.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = value["unix://".Length..];
            if (!path.StartsWith('/'))
            {
                error = $"'{text}' is not a unix socket URL: the path must be absolute, e.g. unix:///run/podman/podman.sock";
                return false;
            }

            endpoint = Unix(path);
            return true;
        }

        if (value.StartsWith("tcp://", StringComparison.Ordinal) || value.StartsWith("http://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate("http://" + value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..], UriKind.Absolute, out var uri)
                || uri.IsDefaultPort && !value.EndsWith(":80", StringComparison.Ordinal))
            {
                error = $"'{text}' is not a tcp engine URL: give host and port, e.g. tcp://127.0.0.1:2375";
                return false;
            }

            endpoint = Tcp(uri.Host, uri.Port);
            return true;
        }

        error = $"'{text}' is not an engine address: use unix:///path/to.sock or tcp://host:port";
        return false;
    }

    public override string ToString() => IsUnix ? $"unix://{Address}" : $"tcp://{Address}:{Port}";
}
