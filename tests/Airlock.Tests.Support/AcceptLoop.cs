using System.Net.Sockets;

namespace Airlock.Tests.Support;

/// <summary>The accept loop every test server runs: each client handled on its own, until the listener is stopped.</summary>
public static class AcceptLoop
{
    public static async Task RunAsync(TcpListener listener, Func<TcpClient, Task> handle)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            _ = handle(client);
        }
    }

    public static async Task RunAsync(Socket listener, Func<Socket, Task> handle)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = handle(client);
        }
    }
}
