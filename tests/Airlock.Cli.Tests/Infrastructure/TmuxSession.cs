using System.Diagnostics;

namespace Airlock.Cli.Tests.Infrastructure;

/// <summary>
/// A real terminal for a test: a detached tmux session of a known size on a private tmux server (its own socket), so
/// tests never touch a user's tmux and can run side by side. Disposing kills that server and deletes its socket.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private readonly string _socket;
    private readonly string _scriptPath;

    private TmuxSession(string socket, string scriptPath)
    {
        _socket = socket;
        _scriptPath = scriptPath;
    }

    public const string Target = "t";

    /// <summary>Starts a session <paramref name="columns"/>x<paramref name="rows"/> whose only pane runs <paramref name="script"/> in bash.</summary>
    public static async Task<TmuxSession> StartAsync(string script, int columns, int rows)
    {
        var name = "airlock-test-" + Guid.NewGuid().ToString("N")[..10];
        var scriptPath = Path.Combine(Path.GetTempPath(), name + ".sh");
        await File.WriteAllTextAsync(scriptPath, script);
        var session = new TmuxSession(Path.Combine(Path.GetTempPath(), name + ".tmux"), scriptPath);
        await session.TmuxAsync(
            "new-session", "-d", "-s", Target, "-x", columns.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-y", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "bash --norc --noprofile " + scriptPath);
        // Keep the pane (and its last output) when the script ends, so a failed test can still show it.
        await session.TmuxAsync("set-option", "-t", Target, "remain-on-exit", "on");
        return session;
    }

    /// <summary>Types <paramref name="text"/> literally, then Enter.</summary>
    public async Task TypeLineAsync(string text)
    {
        await TmuxAsync("send-keys", "-t", Target, "-l", text);
        await TmuxAsync("send-keys", "-t", Target, "Enter");
    }

    /// <summary>Sends tmux key names, e.g. <c>C-c</c>.</summary>
    public Task SendKeysAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", Target, .. keys]);

    public Task ResizeAsync(int columns, int rows) => TmuxAsync(
        "resize-window", "-t", Target, "-x", columns.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-y", rows.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The pane's text, wrapped lines joined, with its scroll-back.</summary>
    public Task<string> CaptureAsync() => TmuxAsync("capture-pane", "-p", "-J", "-t", Target, "-S", "-500");

    /// <summary>Polls the pane until <paramref name="done"/> holds for its text.</summary>
    public Task<string> WaitForAsync(Func<string, bool> done, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(CaptureAsync, done, timeout ?? TimeSpan.FromSeconds(30), what);

    /// <summary>Lines of the pane, trimmed at the end.</summary>
    public static IEnumerable<string> Lines(string capture) => capture.Split('\n').Select(l => l.TrimEnd());

    private async Task<string> TmuxAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-S");
        psi.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start tmux");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(cts.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await TmuxAsync("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        File.Delete(_scriptPath);
        File.Delete(_socket);
    }
}
