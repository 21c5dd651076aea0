using System.Diagnostics;
using System.Security.Cryptography;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A real X server (Debian's Xvfb) on a display number of its own, requiring a MIT-MAGIC-COOKIE-1 from an Xauthority
/// file like a desktop session's X server does. Killed and its files removed on dispose.
/// </summary>
public sealed class XvfbServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private XvfbServer(Process process, int number, string dir, string xauthority)
    {
        _process = process;
        _dir = dir;
        Display = $":{number}";
        Xauthority = xauthority;
        Socket = $"/tmp/.X11-unix/X{number}";
    }

    public string Display { get; }

    public string Xauthority { get; }

    public string Socket { get; }

    public static async Task<XvfbServer> StartAsync()
    {
        var number = FreeDisplayNumber();
        var dir = Directory.CreateTempSubdirectory(Names.ScratchPrefix + "x11-").FullName;
        var xauthority = Path.Combine(dir, "Xauthority");
        var cookie = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        (await ProcessRunner.RunAsync("xauth", ["-f", xauthority, "add", $":{number}", "MIT-MAGIC-COOKIE-1", cookie], null, dir, null, TimeSpan.FromSeconds(30)))
            .ShouldSucceed();

        var psi = new ProcessStartInfo("Xvfb") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { $":{number}", "-auth", xauthority, "-nolisten", "tcp", "-screen", "0", "640x480x24" })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start Xvfb (install it: apt-get install xvfb xauth)");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new XvfbServer(process, number, dir, xauthority);
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(server.Socket) || process.HasExited), ready => ready, $"Xvfb to create {server.Socket}", TimeSpan.FromSeconds(30));
        if (process.HasExited)
        {
            throw new InvalidOperationException($"Xvfb {server.Display} exited at start with {process.ExitCode}");
        }

        return server;
    }

    private static int FreeDisplayNumber()
    {
        for (var n = 40 + Random.Shared.Next(200); ; n++)
        {
            if (!File.Exists($"/tmp/.X11-unix/X{n}") && !File.Exists($"/tmp/.X{n}-lock"))
            {
                return n;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
