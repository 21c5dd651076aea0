using System.Net;
using System.Net.NetworkInformation;

namespace Airlock.Sandboxes.Network;

/// <summary>The addresses of this host's interfaces, which a sandbox must not reach (loopback aside, which inside is its own).</summary>
public static class HostAddresses
{
    public static IReadOnlyList<IPAddress> Current() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a))
            // A scope id (fe80::1%eth0) means nothing inside the sandbox's namespace, and nft does not take it.
            .Select(a => new IPAddress(a.GetAddressBytes()))
            .Distinct()
            .ToList();
}
