using System.Diagnostics;
using System.Text;

namespace Airlock.Tests.Support;

/// <summary>
/// The one way the tests run a program: to completion with a bounded wait, capturing its output. A hang kills the whole
/// process tree and fails the test, so nothing a test started outlives it. The test's own cancellation is deliberately
/// not observed: clean-up (deleting a test's namespaces after it timed out) must still run to the end.
/// </summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A start for <paramref name="file"/> with output and input redirected: this process's environment with
    /// <paramref name="env"/> applied on top (a null value removes a variable). For programs a test runs in the background.
    /// </summary>
    public static ProcessStartInfo StartInfo(
        string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        Apply(psi, env);
        return psi;
    }

    /// <summary>Applies <paramref name="env"/> to <paramref name="psi"/>: a null value removes the variable.</summary>
    public static void Apply(ProcessStartInfo psi, IReadOnlyDictionary<string, string?>? env)
    {
        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }
    }

    public static Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? env = null,
        string? workingDirectory = null,
        string? stdin = null,
        TimeSpan? timeout = null) =>
        RunAsync(StartInfo(file, args, env, workingDirectory), stdin, timeout);

    /// <summary>Runs <paramref name="psi"/> (made by <see cref="StartInfo"/>) to completion.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo psi, string? stdin = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var commandLine = $"{psi.FileName} {string.Join(' ', psi.ArgumentList)}";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input; its exit code tells the rest.
        }

        using var expired = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(expired.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var output = $"--- stdout ---\n{await stdout.ConfigureAwait(false)}\n--- stderr ---\n{await stderr.ConfigureAwait(false)}";
            throw new TimeoutException($"{commandLine} did not exit within {limit.TotalSeconds:0} s (killed it and its children)\n{output}");
        }

        return new ProcessResult(commandLine, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>The same, blocking, for helpers with a synchronous API (a fixture built in a constructor).</summary>
    public static ProcessResult Run(
        string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null, string? workingDirectory = null, TimeSpan? timeout = null) =>
        RunAsync(file, args, env, workingDirectory, null, timeout).GetAwaiter().GetResult();
}
