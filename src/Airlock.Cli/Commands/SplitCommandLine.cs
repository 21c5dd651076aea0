namespace Airlock.Cli.Commands;

/// <summary>A command line ready for the parser (<see cref="Args"/>), and the option-looking words airlock does not know.</summary>
public sealed record SplitCommandLine(string[] Args, IReadOnlyList<UnknownOption> Unknown);
