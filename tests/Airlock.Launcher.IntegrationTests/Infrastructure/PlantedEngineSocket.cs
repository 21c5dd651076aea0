using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A fake engine that another local user planted: a unix socket, owned (with its directory) by <see cref="OwnerUid"/>,
/// that answers every request with 200 OK as an engine answers /_ping, and counts the requests it got. Named a fake:
/// it stands in for the attacker's listener, which cannot be a real engine here.
/// </summary>
public sealed class PlantedEngineSocket : IDisposable
{
    /// <summary><c>nobody</c>: a local user that is neither root nor the one running airlock.</summary>
    public const int OwnerUid = 65534;

    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    /// <summary>Plants <paramref name="path"/> (and its directory, made world-accessible) as <see cref="OwnerUid"/>'s.</summary>
    public PlantedEngineSocket(string path)
    {
        Path = path;
        var dir = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen();
        File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        File.SetUnixFileMode(path, (UnixFileMode)0x1B6);
        Chown(dir);
        Chown(path);
        _ = ServeAsync();
    }

    public string Path { get; }

    public int Requests => Volatile.Read(ref _requests);

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
        }
    }

    private async Task AnswerAsync(Socket client)
    {
        using (client)
        {
            try
            {
                var buffer = new byte[8192];
                if (await client.ReceiveAsync(buffer, _stop.Token) > 0)
                {
                    Interlocked.Increment(ref _requests);
                    await client.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nApi-Version: 1.41\r\nServer: Libpod/4.3.1\r\nConnection: close\r\n\r\nOK"), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        }
    }

    private static void Chown(string path)
    {
        using var chown = Process.Start("chown", [$"{OwnerUid}:{OwnerUid}", path])!;
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {OwnerUid} {path} failed");
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }
}
