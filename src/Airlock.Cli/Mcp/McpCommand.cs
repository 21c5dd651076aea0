using System.CommandLine;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;
using Airlock.Cli.Launcher;
using Airlock.Launcher.Mcp;
using Airlock.Sandboxes.Mcp;
using Airlock.Sandboxes.Naming;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Spectre.Console;

namespace Airlock.Cli.Mcp;

/// <summary>
/// <c>airlock mcp</c>: an MCP server on stdin/stdout that gives an agent running outside any sandbox the sandbox tools
/// (<see cref="SandboxToolset"/>) over the launcher's sandboxes for one project. It serves until the client closes stdin
/// (or a signal), then removes every sandbox it made. Standard output carries the protocol only: notices go to stderr.
/// </summary>
public static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = $"The namespace create_sandbox uses when the agent names none (default: {LaunchCommand.DefaultNamespace}).", HelpName = "NAME" };
        var project = new Option<string?>("--project") { Description = "The project directory the sandboxes mount (default: the current directory, where MCP clients start their servers).", HelpName = "DIR" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Mount the project even when it is, or holds, your home or Airlock's state directory (there is nobody to ask once an agent drives)." };
        var command = new Command("mcp", "Serve MCP tools on stdio that run an outside agent's commands and file edits in sandboxes of this project.") { ns, project, yes };
        command.WithHelp(
            "For an MCP client (Claude Code, Codex, any other): it starts `airlock mcp` in the project and calls its tools: create_sandbox, list_sandboxes, run_command, read_file, write_file, list_files, delete_sandbox. " +
            "A sandbox is what `airlock NAMESPACE` would start there (the project mounted, the namespace's image and home, your uid, the same hardening and network rules), kept up between calls. " +
            "The tools act only on sandboxes this server made, and every one of them is removed when the client disconnects. See docs/mcp.md.",
            "claude mcp add airlock -- airlock mcp",
            "airlock mcp --namespace agents",
            "airlock mcp --project ~/src/app");
        command.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(project) is { } where ? Path.GetFullPath(where) : Directory.GetCurrentDirectory();
            if (!Directory.Exists(dir))
            {
                throw new UserInputException($"--project {dir}: no such directory", "give the project's directory, or start airlock mcp in it");
            }

            // Said now, on the client's log, rather than at the agent's first create_sandbox.
            if (parse.GetValue(ns) is { } given && NameRules.NamespaceProblem(given) is { } problem && !given.Equals(LaunchCommand.DefaultNamespace, StringComparison.Ordinal))
            {
                throw new UserInputException($"--namespace: {problem}", "name a namespace from `airlock list namespaces`");
            }

            using var services = await LauncherServices.ConnectAsync(context, ct);
            var options = new McpLauncherOptions(dir, parse.GetValue(ns) ?? LaunchCommand.DefaultNamespace, parse.GetValue(yes));
            await using var tools = new LauncherSandboxTools(
                services.Runtime, services.Paths, services.User, services.Namespaces, context.GetVariable, options, context.Time,
                message => context.Error.MarkupLine("[grey]" + Markup.Escape(message) + "[/]"));
            await ServeAsync(tools, options.DefaultNamespace, ct);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Serves the tools on this process's stdin and stdout until the client goes away or <paramref name="ct"/> ends.</summary>
    private static async Task ServeAsync(ISandboxTools tools, string defaultNamespace, CancellationToken ct)
    {
        var options = new McpServerOptions
        {
            ServerInfo = new Implementation { Name = "airlock", Title = "Airlock sandboxes", Version = AirlockVersion.Number },
            ServerInstructions = SandboxToolset.Instructions,
            ToolCollection = [],
        };
        foreach (var tool in SandboxToolset.For(tools, defaultNamespace))
        {
            options.ToolCollection.Add(tool);
        }

        await using var transport = new StdioServerTransport(options);
        await using var server = McpServer.Create(transport, options);
        try
        {
            await server.RunAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // A signal: the sandboxes are removed on the way out, as when the client disconnects.
        }
    }
}
