using System.ComponentModel;
using System.Diagnostics;

namespace Airlock.Launcher.Conduit;

/// <summary>
/// Runs the agent as a child process sharing this terminal: what <c>conduit launch</c> does inside a sandbox, where the
/// sandbox is already there. Ctrl-C reaches the agent directly (same process group); its exit code comes back.
/// </summary>
public sealed class LocalAgentRunner : IAgentRunner
{
    public async Task<int> RunAsync(AgentLaunch launch, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(launch.Command[0]) { UseShellExecute = false };
        foreach (var arg in launch.Command.Skip(1))
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in launch.Environment)
        {
            psi.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {launch.Command[0]}");
        }
        catch (Win32Exception ex)
        {
            throw new ConduitException(
                $"{launch.Agent} is not installed in this sandbox (cannot run {launch.Command[0]}: {ex.Message})",
                $"use a namespace made from the cli-agents template (airlock create namespace agents cli-agents), or install {launch.Agent} here");
        }

        using (process)
        {
            // Ctrl-C goes to the agent too; wait for it to finish rather than abandoning it.
            await process.WaitForExitAsync(CancellationToken.None);
            return process.ExitCode;
        }
    }
}
