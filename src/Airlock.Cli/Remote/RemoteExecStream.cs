using System.Text;
using Airlock.Client;
using Spectre.Console;

namespace Airlock.Cli.Remote;

/// <summary>
/// <c>airlock sandbox exec</c> without <c>--json</c>: the server's streamed exec, its stdout and stderr written to ours
/// as they come, and the command's exit code returned (124, as timeout(1), when its time limit killed it). Ctrl-C hangs
/// up, and the server kills the command.
/// </summary>
public static class RemoteExecStream
{
    public const int TimedOutExit = 124;

    public static async Task<int> RunAsync(CliContext context, ServerConnection server, string sandboxId, ExecBody body, CancellationToken ct)
    {
        await using var stdout = System.Console.OpenStandardOutput();
        await using var stderr = System.Console.OpenStandardError();
        try
        {
            await foreach (var item in server.Client.Sandboxes.ExecStreamAsync(sandboxId, body, ct))
            {
                switch (item)
                {
                    case { Type: "stdout" or "stderr", Data: { } data }:
                        var target = item.Type == "stderr" ? stderr : stdout;
                        await target.WriteAsync(Encoding.UTF8.GetBytes(data), ct);
                        await target.FlushAsync(ct);
                        break;
                    case { Type: "exit", TimedOut: true }:
                        context.Error.MarkupLine("[yellow]warning:[/] the command was still running at its time limit and was killed; this was its output so far (give a longer --timeout)");
                        return TimedOutExit;
                    case { Type: "exit", ExitCode: { } code }:
                        return code;
                    case { Type: "error" }:
                        throw new RemoteApiException(item.Status ?? 500, $"the command's stream broke off on the server: {item.Detail ?? item.Title}", [], "run it again; the server's log says more", null);
                }
            }
        }
        catch (Exception ex) when (ex is AirlockApiException or AirlockUnreachableException)
        {
            throw server.Translate(ex, SandboxCommands.ListFix);
        }

        throw new RemoteApiException(502, "the server ended the command's stream without its exit code", [], "run it again; the server's log says why", null);
    }
}
