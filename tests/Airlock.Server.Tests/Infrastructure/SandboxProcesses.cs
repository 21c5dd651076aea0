using Airlock.Engine.Exec;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>What runs inside a sandbox, read from its /proc through the engine (not through the API under test).</summary>
public static class SandboxProcesses
{
    /// <summary>Every process's command line, one a line, its arguments joined by spaces.</summary>
    public static async Task<string> CommandLinesAsync(ServerHarness server, string sandboxId)
    {
        var listing = new ExecOptions { Command = ["sh", "-c", "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < \"$f\" 2>/dev/null; echo; done"] };
        return (await server.Engine.Exec.RunAsync("airlock-" + sandboxId, listing, ct: TestContext.Current.CancellationToken)).Stdout;
    }

    /// <summary>Waits until no process of the sandbox runs <paramref name="commandLine"/> (its kill is asynchronous), failing after 60 s.</summary>
    public static Task GoneAsync(ServerHarness server, string sandboxId, string commandLine) =>
        Poll.UntilAsync(
            () => CommandLinesAsync(server, sandboxId),
            lines => !lines.Split('\n').Any(l => l.Trim() == commandLine),
            $"'{commandLine}' to be gone from the sandbox");

    /// <summary>Waits until a process of the sandbox runs <paramref name="commandLine"/>.</summary>
    public static Task RunningAsync(ServerHarness server, string sandboxId, string commandLine) =>
        Poll.UntilAsync(
            () => CommandLinesAsync(server, sandboxId),
            lines => lines.Split('\n').Any(l => l.Trim() == commandLine),
            $"'{commandLine}' to run in the sandbox");
}
