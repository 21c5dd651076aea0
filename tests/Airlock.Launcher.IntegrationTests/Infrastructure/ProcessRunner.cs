using System.Diagnostics;
using System.Text;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>Runs a program to completion with a bounded wait, capturing its output. A hang kills it and fails the test.</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string file,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? env = null,
        string? workingDirectory = null,
        string? stdin = null,
        TimeSpan? timeout = null)
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

        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited without reading its input; its exit code tells the rest.
        }

        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not exit within {limit.TotalSeconds:0} s");
        }

        return new ProcessResult($"{file} {string.Join(' ', psi.ArgumentList)}", process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>What a finished program printed and returned; ToString shows all of it, for failure messages.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard error with line breaks and runs of spaces folded to one space (messages wrap at the console width).</summary>
    public string Message => System.Text.RegularExpressions.Regex.Replace(Stderr, @"\s+", " ").Trim();

    public override string ToString() => $"$ {CommandLine}\nexit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Fails with the whole output unless the program exited 0.</summary>
    public ProcessResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, ToString());
        return this;
    }

    /// <summary>
    /// Fails unless the program exited 2 (the user's input is wrong) with an error message containing every fragment
    /// (case-sensitive, whitespace folded).
    /// </summary>
    public ProcessResult ShouldBeUserError(params string[] fragments)
    {
        ExitCode.ShouldBe(2, ToString());
        Stderr.ShouldContain("error:", Case.Sensitive, ToString());
        foreach (var fragment in fragments)
        {
            Message.ShouldContain(fragment, Case.Sensitive, ToString());
        }

        return this;
    }
}
