using System.Net.Sockets;
using Airlock.Engine.Errors;

namespace Airlock.Engine.Transport;

/// <summary>Opens a raw connection to an endpoint, turning connection failures into <see cref="EngineUnreachableException"/>.</summary>
internal static class EngineSocket
{
    public static async Task<Socket> ConnectAsync(EngineEndpoint endpoint, CancellationToken ct)
    {
        Socket socket = endpoint.IsUnix
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (endpoint.IsUnix)
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint.Address), ct);
            }
            else
            {
                await socket.ConnectAsync(endpoint.Address, endpoint.Port, ct);
            }

            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw Unreachable(endpoint, ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static EngineUnreachableException Unreachable(EngineEndpoint endpoint, Exception inner) =>
        new($"no container engine answers at {endpoint} ({inner.Message})", HowToStart(endpoint), inner);

    public static string HowToStart(EngineEndpoint endpoint) => endpoint.Address switch
    {
        var a when a.Contains("podman", StringComparison.Ordinal) =>
            $"start podman's API service: podman system service --time=0 unix://{endpoint.Address} &  (or install podman: scripts/setup-engines.sh)",
        var a when a.Contains("docker", StringComparison.Ordinal) =>
            "start Docker: sudo dockerd &  (or sudo systemctl start docker; install it with scripts/setup-engines.sh)",
        _ => $"check that an engine listens at {endpoint}, or unset AIRLOCK_ENGINE/DOCKER_HOST to let Airlock find podman or Docker",
    };
}
