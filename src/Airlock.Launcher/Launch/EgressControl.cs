using System.Net.Sockets;
using System.Text;
using Airlock.Sandboxes.Egress;

namespace Airlock.Launcher.Launch;

/// <summary>
/// How <c>airlock egress allow SESSION DEST</c> reaches the airlock process that holds a session: a unix socket beside
/// (never inside) the directory mounted into the sandbox, in the user's private runtime directory, so only the user can
/// widen a policy and the sandbox cannot widen its own. One request per connection: <c>allow DEST</c>, answered
/// <c>ok</c> or <c>error: WHY</c>.
/// </summary>
public sealed class EgressControl : IAsyncDisposable
{
    private const int MaxRequestBytes = 4096;

    private readonly Socket _listener;
    private readonly EgressProxy _proxy;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    private EgressControl(Socket listener, EgressProxy proxy, string path)
    {
        _listener = listener;
        _proxy = proxy;
        Path = path;
        _serving = ServeAsync();
    }

    public string Path { get; }

    /// <summary>Where the control socket of <paramref name="session"/> is.</summary>
    public static string PathFor(string runtimeDirectory, string session) =>
        System.IO.Path.Combine(runtimeDirectory, $"egress-control-{session[^8..]}.sock");

    public static EgressControl Start(EgressProxy proxy, string path)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            File.Delete(path);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            listener.Listen(4);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new EgressControl(listener, proxy, path);
    }

    /// <summary>Asks the session behind <paramref name="path"/> to allow <paramref name="destination"/>; returns its answer.</summary>
    public static async Task<string> AllowAsync(string path, string destination, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"allow {destination}\n"), ct);
        socket.Shutdown(SocketShutdown.Send);
        return (await ReadAllAsync(socket, ct)).Trim();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    var answer = Handle(await ReadAllAsync(client, timeout.Token));
                    await client.SendAsync(Encoding.UTF8.GetBytes(answer + "\n"), timeout.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
                {
                    // A client that went away or dawdled: nothing changed.
                }
            }
        }
    }

    private string Handle(string request)
    {
        var line = request.TrimEnd('\n');
        if (!line.StartsWith("allow ", StringComparison.Ordinal))
        {
            return "error: the only request is: allow DEST";
        }

        var destination = line["allow ".Length..].Trim();
        if (!EgressRule.TryParse(destination, out var rule, out var problem))
        {
            return $"error: '{destination}': {problem}";
        }

        var policy = _proxy.Policy;
        _proxy.UpdatePolicy(policy with { Allow = [.. policy.Allow, rule] });
        return "ok";
    }

    private static async Task<string> ReadAllAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[MaxRequestBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await socket.ReceiveAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _serving;
        _stop.Dispose();
        File.Delete(Path);
    }
}
