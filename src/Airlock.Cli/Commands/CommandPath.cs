using System.CommandLine;

namespace Airlock.Cli.Commands;

/// <summary>How a person types a command: <c>airlock sandbox exec</c>.</summary>
public static class CommandPath
{
    public static string Of(Command command)
    {
        var names = new List<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(c is RootCommand ? "airlock" : c.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
