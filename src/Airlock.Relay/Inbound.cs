using System.Net;

namespace Airlock.Relay;

/// <summary>
/// A port inside the sandbox that the host forwards to: the relay keeps connections parked on <paramref name="SocketPath"/>
/// (a unix socket the host listens on), and each one the host wakes is carried to <paramref name="Target"/>.
/// </summary>
internal sealed record Inbound(string SocketPath, IPEndPoint Target)
{
    public override string ToString() => $"{SocketPath}={Target}";
}
