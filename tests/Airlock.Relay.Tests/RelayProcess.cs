using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Airlock.Relay.Tests;

/// <summary>The relay started as its own process (its dll beside the tests'), its streams in the test's hands.</summary>
internal sealed class RelayProcess : IAsyncDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "airlock-relay.dll");

    private readonly Process _process;

    private RelayProcess(Process process) => _process = process;

    public static RelayProcess Start(params string[] args)
    {
        var psi = ProcessRunner.StartInfo("dotnet", [Dll, .. args]);
        return new RelayProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start the relay"));
    }

    /// <summary>Runs the relay to its end and returns what it printed and its exit code.</summary>
    public static Task<ProcessResult> RunAsync(params string[] args) =>
        ProcessRunner.RunAsync("dotnet", [Dll, .. args], timeout: TimeSpan.FromSeconds(60));

    /// <summary>A loopback port nothing listens on at the moment of asking.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public int Id => _process.Id;

    /// <summary>The next line the command printed (null at its end); bounded, so a relay that hangs fails the test.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _process.StandardOutput.ReadLineAsync(limit.Token);
    }

    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    public async Task<(int ExitCode, string Stdout, string Stderr)> WaitAsync()
    {
        _process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = await _process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = await _process.StandardError.ReadToEndAsync(limit.Token);
        await _process.WaitForExitAsync(limit.Token);
        return (_process.ExitCode, stdout, stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
