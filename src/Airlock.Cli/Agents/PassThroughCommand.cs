using System.CommandLine;

namespace Airlock.Cli.Agents;

/// <summary>
/// A command whose words after its first <see cref="LeadingArguments"/> positional ones belong to a program it runs
/// (<c>airlock run codex --help</c>: <c>--help</c> is codex's). <see cref="PassThroughArguments"/> makes the parser see them so.
/// </summary>
public sealed class PassThroughCommand(string name, string description) : Command(name, description)
{
    public int LeadingArguments { get; init; } = 1;
}
