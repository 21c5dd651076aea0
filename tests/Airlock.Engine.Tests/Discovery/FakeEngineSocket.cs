using System.Net.Sockets;
using System.Text;

namespace Airlock.Engine.Tests.Discovery;

/// <summary>A unix socket that answers every HTTP request with <c>200 OK</c>, as an engine answers <c>/_ping</c>.</summary>
public sealed class FakeEngineSocket : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();

    public FakeEngineSocket(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        _ = ServeAsync();
    }

    public string Path { get; }

    public int Requests;

    private async Task ServeAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                _ = AnswerAsync(client);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed: stop serving.
        }
    }

    private async Task AnswerAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await client.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            Interlocked.Increment(ref Requests);
            await client.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK"u8.ToArray(), SocketFlags.None);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
        File.Delete(Path);
    }
}
