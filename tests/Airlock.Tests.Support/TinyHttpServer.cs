using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Tests.Support;

/// <summary>
/// A web server of the test's own on one host address, standing in for a destination on the internet: answers every
/// request with <see cref="Body"/> and counts them.
/// </summary>
public sealed class TinyHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private int _requests;

    public TinyHttpServer(IPAddress address, string body)
    {
        Body = body;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _ = ServeAsync();
    }

    public string Body { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Requests => Volatile.Read(ref _requests);

    private Task ServeAsync() => AcceptLoop.RunAsync(_listener, AnswerAsync);

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        return;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                Interlocked.Increment(ref _requests);
                var body = Encoding.UTF8.GetBytes(Body + "\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(body);
            }
            catch (IOException)
            {
                // The client went away; nothing to answer.
            }
        }
    }

    public void Dispose() => _listener.Stop();
}
