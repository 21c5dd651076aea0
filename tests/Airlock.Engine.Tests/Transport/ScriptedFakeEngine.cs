using System.Net.Sockets;
using System.Text;

namespace Airlock.Engine.Tests.Transport;

/// <summary>
/// A fake engine: a real unix socket, written in the test, that reads each request's head and answers it with the
/// bytes it was given. Then it keeps the connection open (as an engine keeping a connection alive does) until it is
/// disposed, or closes it when <c>closeAfter</c> says so.
/// </summary>
public sealed class ScriptedFakeEngine : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _connections = [];
    private readonly byte[] _answer;
    private readonly bool _closeAfter;

    public ScriptedFakeEngine(string path, string answer, bool closeAfter = false)
    {
        Path = path;
        _answer = Encoding.UTF8.GetBytes(answer);
        _closeAfter = closeAfter;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        _ = ServeAsync();
    }

    public string Path { get; }

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(client);
                }

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
        try
        {
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await client.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            await client.SendAsync(_answer, SocketFlags.None, _stop.Token);
            if (_closeAfter)
            {
                client.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the fake was disposed.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
        File.Delete(Path);
    }
}
