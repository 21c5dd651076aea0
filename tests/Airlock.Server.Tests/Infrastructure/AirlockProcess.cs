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
        return psi;
    }

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string home, params string[] args)
    {
        using var process = Process.Start(StartInfo(home, args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
