using System.Net;
using System.Security.Cryptography.X509Certificates;
using Airlock.Sandboxes.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airlock.Sandboxes.Egress;

/// <summary>What an <see cref="EgressProxy"/> is built with; the limits' defaults hold against a hostile client.</summary>
public sealed record EgressProxyOptions
{
    /// <summary>The sandbox whose traffic this proxy carries; written into every record.</summary>
    public required string SandboxId { get; init; }

    public required IEgressLog Log { get; init; }

    /// <summary>
    /// The sentence a refusal ends with, saying how to allow the destination (the launcher: <c>airlock egress allow SESSION HOST</c>).
    /// For an address refused by the address rules, the destination's host is that address.
    /// </summary>
    public required Func<EgressDestination, string> AllowHint { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public IEgressResolver Resolver { get; init; } = DnsEgressResolver.Instance;

    /// <summary>The host's own addresses, refused like private ones; null reads <see cref="Network.HostAddresses.Current"/> once, at construction.</summary>
    public IReadOnlyCollection<IPAddress>? HostAddresses { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The largest request head (request line and headers) read; a larger one is refused with 431.</summary>
    public int MaxHeadBytes { get; init; } = 16 * 1024;

    /// <summary>
    /// How long a client has from connecting until its tunnel or request is on its way: head, SOCKS exchange, the TLS
    /// ClientHello of a tunnel, resolving and connecting upstream. A client that dawdles (slow loris) is dropped.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections open at once; one more is closed as soon as it is accepted.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>The buffer each direction of a connection copies through.</summary>
    public int CopyBufferBytes { get; init; } = 64 * 1024;

    /// <summary>Whether tunnels are copied with splice(2) inside the kernel (Linux), rather than through <see cref="CopyBufferBytes"/>.</summary>
    public bool Splice { get; init; } = true;

    /// <summary>
    /// The send buffer of a tunnel's sandbox-side socket (the kernel caps it at net.core.wmem_max); 0 keeps the default.
    /// Kernel memory is only taken while a sandbox is slower to read than its destination is to send.
    /// </summary>
    public int TunnelBufferBytes { get; init; } = 1024 * 1024;

    /// <summary>The sandbox's secrets: requests to their hosts are intercepted and filled in; empty, every tunnel is left alone.</summary>
    public SecretSet Secrets { get; init; } = SecretSet.Empty;

    /// <summary>The sandbox's own authority, which signs what the policy point shows for hosts with secrets; required when there are secrets.</summary>
    public SandboxCertificateAuthority? Authority { get; init; }

    /// <summary>The roots upstream certificates of intercepted hosts are verified against; null is the host's trust store (tests give their own).</summary>
    public X509Certificate2Collection? UpstreamRoots { get; init; }
}
