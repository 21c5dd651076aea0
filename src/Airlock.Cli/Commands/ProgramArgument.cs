using System.CommandLine;

namespace Airlock.Cli.Commands;

/// <summary>
/// The last argument of a command that runs a program: that program's command line, which starts where
/// <see cref="Words"/> says and of which airlock reads nothing.
/// </summary>
public sealed class ProgramArgument : Argument<string[]>
{
    public ProgramArgument(string name, ProgramWords words, bool required = false)
        : base(name)
    {
        Words = words;
        Arity = required ? ArgumentArity.OneOrMore : ArgumentArity.ZeroOrMore;
    }

    public ProgramWords Words { get; }
}
