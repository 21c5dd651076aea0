using System.CommandLine;

namespace Airlock.Cli.Remote;

/// <summary>The options every client command takes: where the server is, and JSON instead of tables.</summary>
public sealed class RemoteOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"The Airlock server's URL (default: ${ServerConnection.ServerVariable}, else {ServerConnection.DefaultServer}). The credential comes from ${ServerConnection.TokenVariable}.",
        HelpName = "URL",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the server's answer as JSON, for scripts." };

    /// <summary>Adds both options to <paramref name="command"/> and returns it.</summary>
    public Command AddTo(Command command, bool json = true)
    {
        command.Options.Add(Server);
        if (json)
        {
            command.Options.Add(Json);
        }

        return command;
    }

    public ServerConnection Connect(CliContext context, ParseResult parse) => ServerConnection.Open(context, parse.GetValue(Server));

    public bool WantsJson(ParseResult parse) => parse.GetValue(Json);
}
