using System.CommandLine;
using Airlock.Sandboxes.Specs;

namespace Airlock.Cli.Commands;

/// <summary>A flag whose value is a size in <see cref="ByteSize"/>'s grammar, read as a positive number of bytes.</summary>
public static class SizeOption
{
    public static Option<long?> Create(string name, string description, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        HelpName = "SIZE",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (ByteSize.TryParse(text, out var bytes) && bytes > 0)
            {
                return bytes;
            }

            result.AddError($"{name} '{text}' is not a size: {ByteSize.Grammar}");
            return null;
        },
    };
}
