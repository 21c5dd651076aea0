using System.Net;

namespace Airlock.Sandboxes.Egress;

/// <summary>The host's resolver (<see cref="Dns"/>).</summary>
public sealed class DnsEgressResolver : IEgressResolver
{
    public static DnsEgressResolver Instance { get; } = new();

    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
        await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
}
