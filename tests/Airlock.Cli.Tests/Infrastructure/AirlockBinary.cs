using System.Diagnostics;
using System.Text;

namespace Airlock.Tests.Shared;

/// <summary>Running the binary the shared part of this class locates, the way the CLI tests need it.</summary>
public static partial class AirlockBinary
{
    /// <summary>
    /// Runs airlock with <paramref name="args"/> and waits (bounded) for it to exit. The environment is this process's
    /// with engine settings cleared, then <paramref name="env"/> applied (a null value removes a variable).
    /// </summary>
    public static async Task<AirlockResult> RunAsync(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? env = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(Path)
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

        psi.Environment.Remove("AIRLOCK_ENGINE");
        psi.Environment.Remove("DOCKER_HOST");
        psi.Environment.Remove("AIRLOCK_BASE_IMAGE");
        psi.Environment.Remove("NO_COLOR");
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

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start airlock");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"airlock {string.Join(' ', psi.ArgumentList)} did not exit within {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        return new AirlockResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<AirlockResult> RunAsync(params string[] args) => RunAsync(args, null);
}

public sealed record AirlockResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
