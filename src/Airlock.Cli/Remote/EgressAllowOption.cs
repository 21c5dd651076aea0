using System.CommandLine;

namespace Airlock.Cli.Remote;

/// <summary>
/// A repeatable option of egress destinations (<c>--allow</c>, <c>--egress-allow</c>): host, <c>*.suffix</c>,
/// <c>host:port</c>, address or range. Their syntax is left to the server, whose 400 names each bad one by its place.
/// </summary>
public static class EgressAllowOption
{
    public const string Destinations = "host (github.com), *.suffix, host:port, address or range (10.1.0.0/16:5432)";

    public static Option<string[]> Create(string name, string description) => new(name)
    {
        Description = $"{description} Repeatable, or comma-separated: {Destinations}.",
        HelpName = "DEST",
    };

    /// <summary>The destinations given, in order, commas split (no destination has one); empty when none.</summary>
    public static List<string> Read(ParseResult parse, Option<string[]> option) =>
        (parse.GetValue(option) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
