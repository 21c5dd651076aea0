using System.CommandLine;
using Airlock.Cli.Errors;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary>
/// A tenant's egress ceiling as options: <c>--allow</c>, <c>--no-allow</c>, <c>--open</c>, <c>--no-open</c> on
/// <c>airlock tenant egress</c>, the same with an <c>egress-</c> prefix on <c>airlock tenant create</c>.
/// </summary>
internal sealed class EgressCeilingOptions
{
    public static readonly EgressCeilingBody Unchanged = new(null, null);

    private readonly Option<string[]> _allow;
    private readonly Option<bool> _noAllow;
    private readonly Option<bool> _open;
    private readonly Option<bool> _noOpen;

    /// <param name="prefix">Put before each option's name: <c>egress-</c> where other options share the command.</param>
    public EgressCeilingOptions(string prefix)
    {
        _allow = EgressAllowOption.Create($"--{prefix}allow", "A destination the tenant's allowlist sandboxes may name (addresses and ranges always need one; host names only without open); replaces the list it had.");
        _noAllow = new Option<bool>($"--no-{prefix}allow") { Description = "Empty that list." };
        _open = new Option<bool>($"--{prefix}open") { Description = "The tenant's sandboxes may be open (reach any public destination); also covers every host name of an allowlist." };
        _noOpen = new Option<bool>($"--no-{prefix}open") { Description = "They may not be open; an allowlist may name only what the list covers." };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_allow);
        command.Options.Add(_noAllow);
        command.Options.Add(_open);
        command.Options.Add(_noOpen);
    }

    /// <summary>The change asked for; <see cref="Unchanged"/> when no option is given. Contradicting pairs are exit 2.</summary>
    public EgressCeilingBody Read(ParseResult parse)
    {
        var allow = EgressAllowOption.Read(parse, _allow);
        var noAllow = parse.GetValue(_noAllow);
        if (allow.Count > 0 && noAllow)
        {
            throw new UserInputException($"{_allow.Name} and {_noAllow.Name} both given", $"keep {_allow.Name} with the destinations the ceiling covers, or {_noAllow.Name} alone to empty it");
        }

        var (open, noOpen) = (parse.GetValue(_open), parse.GetValue(_noOpen));
        if (open && noOpen)
        {
            throw new UserInputException($"{_open.Name} and {_noOpen.Name} both given", $"keep one: {_open.Name} lets the tenant's sandboxes be open, {_noOpen.Name} does not");
        }

        return new EgressCeilingBody(allow.Count > 0 ? allow : noAllow ? [] : null, open ? true : noOpen ? false : null);
    }
}
