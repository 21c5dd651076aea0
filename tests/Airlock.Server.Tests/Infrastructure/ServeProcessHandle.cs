using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>airlock serve</c> as a separate process. Its output is drained as it comes (so a chatty server never
/// blocks on a full pipe); <see cref="ListeningAsync"/> completes with the address from its "listening on" line,
/// which it prints once migrated and reconciled.
/// </summary>
public sealed partial class ServeProcessHandle : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _lines = [];
    private readonly Task _drain;

    private ServeProcessHandle(Process process)
    {
        _process = process;
        _drain = Task.WhenAll(DrainAsync(process.StandardError), DrainAsync(process.StandardOutput));
    }

    public static ServeProcessHandle Start(string home, params string[] args) => new(Process.Start(AirlockProcess.StartInfo(home, ["serve", .. args]))!);

    /// <summary>As the other, with <paramref name="environment"/> on top of the hermetic one (SSL_CERT_FILE, AIRLOCK_SECRETS_KEY).</summary>
    public static ServeProcessHandle Start(string home, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        new(Process.Start(AirlockProcess.StartInfo(home, environment, ["serve", .. args]))!);

    /// <summary>Waits for the process to end by itself (a start it refuses) and returns its exit code, with all it printed read.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync(Ct);
        await _drain;
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then waits for a clean stop.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync(CancellationToken.None);
            await _process.WaitForExitAsync(Ct);
        }
    }

    /// <summary>Everything the server printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public async Task<Uri> ListeningAsync()
    {
        var exited = _process.WaitForExitAsync(Ct);
        var first = await Task.WhenAny(_listening.Task, exited);
        if (first != _listening.Task)
        {
            await _drain;
            throw new Xunit.Sdk.XunitException($"airlock serve exited with {_process.ExitCode} before listening:\n{Output}");
        }

        return await _listening.Task;
    }

    /// <summary>SIGKILL: no clean-up of any kind, as a crash or an OOM kill would leave it.</summary>
    public async Task KillHardAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
    }

    private async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }

            if (ListeningOn().Match(line) is { Success: true } m)
            {
                _listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+?),")]
    private static partial Regex ListeningOn();
}
