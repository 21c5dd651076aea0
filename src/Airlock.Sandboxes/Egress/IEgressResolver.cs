using System.Net;

namespace Airlock.Sandboxes.Egress;

/// <summary>Resolves the names sandboxes ask for. The proxy resolves itself and connects to what it checked; the OS never re-resolves.</summary>
public interface IEgressResolver
{
    /// <summary>The addresses of <paramref name="host"/>; throws <see cref="System.Net.Sockets.SocketException"/> when it has none.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}
