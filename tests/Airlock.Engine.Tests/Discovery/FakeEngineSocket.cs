using System.Net.Sockets;
using System.Text;

namespace Airlock.Engine.Tests.Discovery;

/// <summary>
/// A fake engine: a real unix socket that answers every HTTP request with the same bytes, by default <c>200 OK</c> as an
/// engine answers <c>/_ping</c>, then closes the connection, or keeps it open (as an engine keeping a connection alive
/// does) until disposed.
/// </summary>
public sealed class FakeEngineSocket : IDisposable
{
    public const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK";

    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly byte[] _answer;
    private readonly bool _keepOpen;

    public FakeEngineSocket(string path, string answer = Ok, bool keepOpen = false)
    {
        Path = path;
        _answer = Encoding.UTF8.GetBytes(answer);
        _keepOpen = keepOpen;
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
        lock (_open)
        {
            _open.Add(client);
        }

        try
        {
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    break;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            if (request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Requests);
                await client.SendAsync(_answer, SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the fake was disposed.
        }

        if (!_keepOpen)
        {
            lock (_open)
            {
                _open.Remove(client);
            }

            client.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_open)
        {
            _open.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
        File.Delete(Path);
    }
}
