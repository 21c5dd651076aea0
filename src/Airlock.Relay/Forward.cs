using System.Net;

namespace Airlock.Relay;

/// <summary>One TCP address inside the sandbox whose connections are carried to a unix socket mounted from outside.</summary>
internal sealed record Forward(IPEndPoint Listen, string SocketPath)
{
    public override string ToString() => $"{Listen}={SocketPath}";
}
