namespace Airlock.Sandboxes.Egress;

/// <summary>The reason codes of <see cref="EgressRecord.Reason"/>: short, stable, and meant for grep and dashboards.</summary>
public static class EgressReasons
{
    public const string AllowedByRule = "allowed-by-rule";
    public const string AllowedOpen = "allowed-open";
    public const string AllowedHostPort = "allowed-host-port";

    public const string ModeNone = "mode-none";
    public const string NotAllowed = "not-allowed";

    public const string Loopback = "address-loopback";
    public const string Unspecified = "address-unspecified";
    public const string LinkLocal = "address-link-local";
    public const string Metadata = "address-metadata";
    public const string Private = "address-private";
    public const string Cgnat = "address-cgnat";
    public const string Multicast = "address-multicast";
    public const string Broadcast = "address-broadcast";
    public const string Reserved = "address-reserved";
    public const string HostAddress = "address-host";

    public const string ResolveFailed = "resolve-failed";
    public const string UpstreamUnreachable = "upstream-unreachable";
    public const string SniMismatch = "sni-mismatch";
    public const string TlsMalformed = "tls-malformed";
    public const string BadRequest = "bad-request";
    public const string HostMismatch = "host-mismatch";
    public const string HeadTooLarge = "head-too-large";
    public const string HandshakeTimeout = "handshake-timeout";
    public const string TooManyConnections = "too-many-connections";
    public const string Unsupported = "unsupported";
    public const string ClientClosed = "client-closed";
    public const string ProxyStopped = "proxy-stopped";

    /// <summary>The placeholder of a secret was on its way to a host that secret is not bound to.</summary>
    public const string SecretMisdirected = "secret-misdirected";

    /// <summary>The sandbox left the TLS session for a host with a secret before any request: most often it does not trust the sandbox's authority.</summary>
    public const string InterceptRefused = "intercept-refused";

    /// <summary>A host with a secret did not prove who it is: its certificate did not verify against the host's trust store.</summary>
    public const string UpstreamCertificate = "upstream-certificate";
}
