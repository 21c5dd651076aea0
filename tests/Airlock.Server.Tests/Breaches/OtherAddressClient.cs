using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// An HTTP client whose connections come from another loopback address (127.0.0.2): to the server, another client
/// machine, so a test can tell what one address's flood does to everyone else.
/// </summary>
internal static class OtherAddressClient
{
    public static readonly IPAddress Address = IPAddress.Parse("127.0.0.2");

    public static HttpClient Create(Uri server, string? key)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(Address, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}
