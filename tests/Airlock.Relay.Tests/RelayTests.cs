using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Airlock.Relay.Tests;

/// <summary>
/// airlock-relay inside a sandbox: the loopback addresses it is given lead to the unix sockets mounted from outside,
/// and otherwise it is invisible (the command's streams, signals and exit status are the command's).
/// </summary>
public sealed partial class RelayTests
{
    [Fact]
    public async Task A_connection_to_the_address_reaches_the_socket_both_ways()
    {
        using var dir = new TempDirectory();
        await using var server = new UnixEchoServer(dir.Combine("proxy.sock"));
        var port = RelayProcess.FreePort();
        await using var relay = RelayProcess.Start("--forward", $"127.0.0.1:{port}={server.Path}", "--", "sh", "-c", "echo ready; read line; exit 5");
        (await relay.ReadLineAsync()).ShouldBe("ready");

        var answer = await ExchangeAsync(port, "ping");
        await relay.WriteLineAsync("done");
        var (exitCode, _, stderr) = await relay.WaitAsync();

        answer.ShouldBe("echo:ping", "the relay carries the request to the socket and the answer back, and passes the client's end on");
        exitCode.ShouldBe(5, stderr);
        server.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task An_inbound_port_parks_connections_on_the_hosts_socket_and_a_woken_one_reaches_the_port_inside()
    {
        using var dir = new TempDirectory();
        var socketPath = dir.Combine("inbound-8080.sock");
        using var host = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        host.Bind(new UnixDomainSocketEndPoint(socketPath));
        host.Listen(16);
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        var servicePort = ((IPEndPoint)service.LocalEndpoint).Port;
        await using var relay = RelayProcess.Start("--inbound", $"{socketPath}=127.0.0.1:{servicePort}", "--", "sh", "-c", "read line");

        // The host has a client: it wakes one parked connection with a byte, then speaks through it.
        using var parked = await host.AcceptAsync(TestContext.Current.CancellationToken);
        await parked.SendAsync("\u0001hello-inside"u8.ToArray(), SocketFlags.None);
        using var inside = await service.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        var buffer = new byte[64];
        var read = await inside.GetStream().ReadAsync(buffer, TestContext.Current.CancellationToken);
        await inside.GetStream().WriteAsync("hello-host"u8.ToArray(), TestContext.Current.CancellationToken);
        inside.Close();
        var answer = await ReadToEndAsync(parked);
        await relay.WriteLineAsync("done");
        var (exitCode, _, stderr) = await relay.WaitAsync();

        Encoding.ASCII.GetString(buffer, 0, read).ShouldBe("hello-inside", "the wake byte is the relay's, the rest the client's");
        answer.ShouldBe("hello-host");
        exitCode.ShouldBe(0, stderr);
    }

    [Fact]
    public async Task A_large_download_arrives_whole()
    {
        const long Size = 32L * 1024 * 1024;
        using var dir = new TempDirectory();
        await using var server = new UnixEchoServer(dir.Combine("proxy.sock"), payload: Size);
        var port = RelayProcess.FreePort();
        await using var relay = RelayProcess.Start("--forward", $"127.0.0.1:{port}={server.Path}", "--", "sh", "-c", "echo ready; read line");
        (await relay.ReadLineAsync()).ShouldBe("ready");

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        long total = 0;
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = await client.ReceiveAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            total += read;
        }

        await relay.WriteLineAsync("done");
        await relay.WaitAsync();
        total.ShouldBe(Size, "the server's end reaches the client only after every byte");
    }

    [Fact]
    public async Task Each_forward_leads_to_its_own_socket()
    {
        using var dir = new TempDirectory();
        await using var first = new UnixEchoServer(dir.Combine("first.sock"));
        await using var second = new UnixEchoServer(dir.Combine("second.sock"));
        var (port1, port2) = (RelayProcess.FreePort(), RelayProcess.FreePort());
        await using var relay = RelayProcess.Start(
            "--forward", $"127.0.0.1:{port1}={first.Path}", "--forward", $"127.0.0.1:{port2}={second.Path}", "--", "sh", "-c", "echo ready; read line");
        (await relay.ReadLineAsync()).ShouldBe("ready");

        await ExchangeAsync(port2, "b");
        await ExchangeAsync(port2, "c");
        await ExchangeAsync(port1, "a");
        await relay.WriteLineAsync("done");
        await relay.WaitAsync();

        (first.Connections, second.Connections).ShouldBe((1, 2));
    }

    [Fact]
    public async Task The_exit_status_and_output_are_the_commands()
    {
        var result = await RelayProcess.RunAsync("--", "sh", "-c", "echo out; echo err >&2; exit 7");

        result.ExitCode.ShouldBe(7);
        result.Stdout.ShouldBe("out\n");
        result.Stderr.ShouldBe("err\n");
    }

    [Fact]
    public async Task A_command_killed_by_a_signal_ends_the_relay_as_a_shell_reports_it()
    {
        var result = await RelayProcess.RunAsync("--", "sh", "-c", "kill -KILL $$");

        result.ExitCode.ShouldBe(128 + 9);
    }

    [Fact]
    public async Task SIGTERM_sent_to_the_relay_reaches_the_command()
    {
        await using var relay = RelayProcess.Start("--", "sh", "-c", "trap 'echo got-term; exit 3' TERM; echo ready; while :; do sleep 0.1; done");
        (await relay.ReadLineAsync()).ShouldBe("ready");

        Kill(relay.Id, 15).ShouldBe(0);
        var (exitCode, stdout, stderr) = await relay.WaitAsync();

        stdout.ShouldContain("got-term", Case.Sensitive, stderr);
        exitCode.ShouldBe(3, "the relay outlives the signal and ends with the command's status");
    }

    [Fact]
    public async Task A_command_that_does_not_exist_is_127_naming_it()
    {
        var result = await RelayProcess.RunAsync("--", "/nonexistent/agent");

        result.ExitCode.ShouldBe(127);
        result.Stderr.ShouldContain("/nonexistent/agent");
    }

    [Fact]
    public async Task Bad_arguments_are_exit_2_with_every_problem_and_the_usage()
    {
        var result = await RelayProcess.RunAsync(
            "--forward", "0.0.0.0:80=/run/x.sock", "--forward", "127.0.0.1:3128=relative.sock", "--bogus", "--inbound", "/run/in.sock=10.0.0.1:80");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("--forward 0.0.0.0:80=/run/x.sock: expected ADDRESS:PORT=SOCKET with a loopback IP address");
        result.Stderr.ShouldContain("--forward 127.0.0.1:3128=relative.sock");
        result.Stderr.ShouldContain("--bogus: unknown argument");
        result.Stderr.ShouldContain("--inbound /run/in.sock=10.0.0.1:80: expected SOCKET=ADDRESS:PORT with an absolute socket path, a loopback IP address");
        result.Stderr.ShouldContain("no command: give it after --");
        result.Stderr.ShouldContain("usage: airlock-relay");
    }

    [Fact]
    public async Task An_address_already_taken_is_125_and_the_command_never_runs()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var result = await RelayProcess.RunAsync("--forward", $"127.0.0.1:{port}=/run/x.sock", "--", "sh", "-c", "echo ran");

        result.ExitCode.ShouldBe(125);
        result.Stderr.ShouldContain($"cannot listen on 127.0.0.1:{port}");
        result.Stdout.ShouldNotContain("ran");
    }

    [Fact]
    public async Task A_socket_nobody_serves_ends_the_connection_and_nothing_else()
    {
        using var dir = new TempDirectory();
        var port = RelayProcess.FreePort();
        await using var relay = RelayProcess.Start("--forward", $"127.0.0.1:{port}={dir.Combine("nobody.sock")}", "--", "sh", "-c", "echo ready; read line; echo still-here");
        (await relay.ReadLineAsync()).ShouldBe("ready");

        var answer = await ExchangeAsync(port, "ping");
        await relay.WriteLineAsync("done");
        var (exitCode, stdout, _) = await relay.WaitAsync();

        answer.ShouldBe("", "with nothing behind the socket the connection is closed at once");
        stdout.ShouldContain("still-here");
        exitCode.ShouldBe(0);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            answer.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    /// <summary>Sends <paramref name="request"/>, ends the sending side, and reads the answer to its end.</summary>
    private static async Task<string> ExchangeAsync(int port, string request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, port, TestContext.Current.CancellationToken);
        try
        {
            await client.SendAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
            client.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            return "";
        }

        var answer = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await client.ReceiveAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // Reset: the answer so far is all there is.
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
