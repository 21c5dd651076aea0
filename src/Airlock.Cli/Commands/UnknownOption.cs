using System.CommandLine;

namespace Airlock.Cli.Commands;

/// <summary>
/// An option-looking word where <see cref="Command"/> reads options, which none of its options is, with the nearest
/// one (<see cref="Likely"/> when it is near enough to be a typo of it).
/// </summary>
public sealed record UnknownOption(string Word, Command Command, string Closest, bool Likely)
{
    public UnknownOption(string word, Command command, (string Alias, bool Likely) closest)
        : this(word, command, closest.Alias, closest.Likely)
    {
    }
}
