using System.Diagnostics;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>Runs the real <c>airlock</c> binary with a private AIRLOCK_HOME.</summary>
public static class AirlockProcess
{
    public static ProcessStartInfo StartInfo(string home, params string[] args)
    {
        var psi = new ProcessStartInfo(AirlockBinary.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["AIRLOCK_HOME"] = home;
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("AIRLOCK_DATABASE");
        psi.Environment.Remove("AIRLOCK_ENGINE");
        psi.Environment.Remove("AIRLOCK_SERVER");
        psi.Environment.Remove("AIRLOCK_TOKEN");
        return psi;
    }

    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(string home, params string[] args) =>
        RunAsync(home, new Dictionary<string, string?>(), args);

    /// <summary>Runs airlock with <paramref name="environment"/> on top (a null value removes the variable).</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string home, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var psi = StartInfo(home, args);
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
