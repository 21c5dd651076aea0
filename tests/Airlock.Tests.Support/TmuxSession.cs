using System.Globalization;
using System.Security.Cryptography;

namespace Airlock.Tests.Support;

/// <summary>
/// A real terminal: a detached tmux session of a known size (<c>tmux new-session -d -s NAME -x COLS -y ROWS</c>) on a
/// private tmux server (its own socket), so tests never touch a user's tmux and can run side by side. Several panes can
/// be opened as windows of the same server. Disposing kills the server.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("airlock-tmux-");
    private readonly string _socket;
    private int _windows;

    private TmuxSession()
    {
        _socket = Path.Combine(_dir.Path, "tmux.sock");
        Name = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    public string Name { get; }

    /// <summary>The first window's target.</summary>
    public string Target => Name + ":0";

    /// <summary>Starts a session of <paramref name="columns"/>x<paramref name="rows"/> whose window 0 runs <paramref name="script"/> in bash.</summary>
    public static async Task<TmuxSession> StartAsync(string script, int columns = 120, int rows = 40)
    {
        var session = new TmuxSession();
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

    /// <summary>Sends tmux key names, e.g. <c>C-c</c>, to the window <paramref name="target"/> (<see cref="Target"/> for the first).</summary>
    public Task SendKeysAsync(string target, params string[] keys)
    {
        // SendKeysAsync("C-c") would send nothing to a window named C-c: say so instead of passing silently.
        ArgumentOutOfRangeException.ThrowIfZero(keys.Length, nameof(keys));
        return TmuxAsync(["send-keys", "-t", target, .. keys]);
    }

    public Task ResizeAsync(int columns, int rows) => TmuxAsync(
        "resize-window", "-t", Name, "-x", columns.ToString(CultureInfo.InvariantCulture), "-y", rows.ToString(CultureInfo.InvariantCulture));

    /// <summary>The pane's text, wrapped lines joined, with its scroll-back.</summary>
    public Task<string> CaptureAsync(string? target = null) => TmuxAsync("capture-pane", "-p", "-J", "-t", target ?? Target, "-S", "-500");

    /// <summary>Polls the pane until <paramref name="done"/> holds for its text.</summary>
    public Task<string> WaitForAsync(Func<string, bool> done, string what, string? target = null, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => CaptureAsync(target), done, what, timeout);

    /// <summary>The same for the first window, with the timeout third.</summary>
    public Task<string> WaitForAsync(Func<string, bool> done, string what, TimeSpan timeout) => WaitForAsync(done, what, null, timeout);

    /// <summary>Lines of a capture, trimmed at the end.</summary>
    public static IEnumerable<string> Lines(string capture) => capture.Split('\n').Select(l => l.TrimEnd());

    private string WriteScript(string script) =>
        _dir.Write($"pane-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.sh", script);

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

        _dir.Dispose();
    }
}
