using System.Net.Sockets;

namespace Airlock.Relay;

/// <summary>The copy both relay directions use.</summary>
internal static class SocketCopy
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Copies until the source ends, then half-closes the destination so the other side sees the end too.</summary>
    public static async Task CopyAsync(Socket from, Socket to, CancellationToken cancellation)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BufferSize);
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellation).ConfigureAwait(false);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Reset by one side: end the other at once rather than leave it waiting.
            from.Close();
            to.Close();
        }
    }
}
