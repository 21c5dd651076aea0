using System.Globalization;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A real terminal: a detached tmux session of a known size (<c>tmux new-session -d -s NAME -x COLS -y ROWS</c>) on a
/// private tmux server (its own socket), so tests never touch a user's tmux and can run side by side. Several panes can
/// be opened as windows of the same server. Disposing kills the server.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private readonly string _socket;
    private readonly string _dir;
    private int _windows;

    private TmuxSession(string dir)
    {
        _dir = dir;
        _socket = Path.Combine(dir, "tmux.sock");
        Name = "it-" + Names.Hex(4);
    }

    public string Name { get; }

    /// <summary>The first window's target.</summary>
    public string Target => Name + ":0";

    /// <summary>Starts a session of <paramref name="columns"/>x<paramref name="rows"/> whose window 0 runs <paramref name="script"/> in bash.</summary>
    public static async Task<TmuxSession> StartAsync(string script, int columns = 120, int rows = 40)
    {
        var session = new TmuxSession(Names.NewScratchDir("tmux"));
        var path = session.WriteScript(script);
        await session.TmuxAsync(
            "new-session", "-d", "-s", session.Name, "-x", columns.ToString(CultureInfo.InvariantCulture),
            "-y", rows.ToString(CultureInfo.InvariantCulture), "bash --norc --noprofile " + path);
        // Keep a pane (and its last output) when its script ends, so a failed test can still show it.
        // The server is private, so global (-g) covers this window and every one opened later.
        await session.TmuxAsync("set-option", "-g", "remain-on-exit", "on");
        await session.TmuxAsync("set-option", "-t", session.Target, "remain-on-exit", "on");
        return session;
    }

    /// <summary>Opens another window running <paramref name="script"/>; returns its target.</summary>
    public async Task<string> OpenWindowAsync(string script)
    {
        var path = WriteScript(script);
        var index = Interlocked.Increment(ref _windows);
        await TmuxAsync("new-window", "-d", "-t", $"{Name}:{index}", "bash --norc --noprofile " + path);
        return $"{Name}:{index}";
    }

    /// <summary>Types <paramref name="text"/> literally, then Enter.</summary>
    public async Task TypeLineAsync(string text, string? target = null)
    {
        await TmuxAsync("send-keys", "-t", target ?? Target, "-l", text);
        await TmuxAsync("send-keys", "-t", target ?? Target, "Enter");
    }

    /// <summary>Sends tmux key names, e.g. <c>C-c</c>.</summary>
    public Task SendKeysAsync(string target, params string[] keys) => TmuxAsync(["send-keys", "-t", target, .. keys]);

    public Task ResizeAsync(int columns, int rows) => TmuxAsync(
        "resize-window", "-t", Name, "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture));

    /// <summary>The pane's text, wrapped lines joined, with its scroll-back.</summary>
    public Task<string> CaptureAsync(string? target = null) => TmuxAsync("capture-pane", "-p", "-J", "-t", target ?? Target, "-S", "-500");

    /// <summary>Polls the pane until <paramref name="done"/> holds for its text.</summary>
    public Task<string> WaitForAsync(Func<string, bool> done, string what, string? target = null, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => CaptureAsync(target), done, what, timeout);

    /// <summary>Lines of a capture, trimmed at the end.</summary>
    public static IEnumerable<string> Lines(string capture) => capture.Split('\n').Select(l => l.TrimEnd());

    private string WriteScript(string script)
    {
        var path = Path.Combine(_dir, $"pane-{Names.Hex(4)}.sh");
        File.WriteAllText(path, script);
        return path;
    }

    private async Task<string> TmuxAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("tmux", ["-S", _socket, .. args], timeout: TimeSpan.FromSeconds(20));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux failed:\n{result}");
        }

        return result.Stdout;
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

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // The server may still be removing its socket.
        }
    }
}
