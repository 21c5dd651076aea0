using System.Diagnostics;

namespace Airlock.Bench.Infrastructure;

/// <summary>The outcome of one command-line run: exit code, output, and the wall time from spawn to exit.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>Runs programs directly (no shell) and times them.</summary>
internal static class CliProcess
{
    /// <summary>A bare name is looked up on PATH, as a shell would; a path is taken as given.</summary>
    public static string? Resolve(string nameOrPath)
    {
        if (nameOrPath.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, nameOrPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static async Task<CliRun> RunAsync(string path, IEnumerable<string> arguments, CancellationToken ct, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {path}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Killing `run --rm` halfway can leave a container it created but did not start (Docker removes only what
            // ran). A run of `true` ends by itself in well under a second: let it, then give up waiting.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }

            throw;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return new CliRun(process.ExitCode, (await stdout).Trim(), (await stderr).Trim(), elapsed);
    }
}
