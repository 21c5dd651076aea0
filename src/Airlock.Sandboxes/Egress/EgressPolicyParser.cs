using System.Text;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;

namespace Airlock.Sandboxes.Egress;

/// <summary>Reads a policy from config text, reporting every bad field with its path (<c>network.allow[2]</c>), never just the first.</summary>
public static class EgressPolicyParser
{
    /// <summary>Parses <paramref name="mode"/> and <paramref name="allow"/>; errors go to <paramref name="errors"/> under <paramref name="root"/>.</summary>
    public static EgressPolicy Parse(string mode, IReadOnlyList<string> allow, ValidationErrors errors, string root = "network")
    {
        var parsedMode = NetworkModes.ToEgressMode(mode.Trim().ToLowerInvariant());
        if (parsedMode is null)
        {
            errors.Add($"{root}.mode", $"{Quote(mode)} is not one of {NetworkModes.Names}");
        }

        var rules = new List<EgressRule>(allow.Count);
        for (var i = 0; i < allow.Count; i++)
        {
            if (EgressRule.TryParse(allow[i], out var rule, out var problem))
            {
                rules.Add(rule);
            }
            else
            {
                errors.Add($"{root}.allow[{i}]", $"{Quote(allow[i])}: {problem}");
            }
        }

        return new EgressPolicy(parsedMode ?? EgressMode.None, rules);
    }

    /// <summary>Parses or throws a <see cref="ValidationException"/> carrying every error.</summary>
    public static EgressPolicy Parse(string mode, IReadOnlyList<string> allow, string root = "network")
    {
        var errors = new ValidationErrors();
        var policy = Parse(mode, allow, errors, root);
        errors.ThrowIfAny("the egress policy");
        return policy;
    }

    // Config text can hold anything; an error message shows it escaped so it cannot forge lines or terminal codes.
    private static string Quote(string text)
    {
        var b = new StringBuilder("\"");
        foreach (var c in text.Length > 80 ? text[..80] + "…" : text)
        {
            _ = c switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                _ when char.IsControl(c) => b.Append($"\\u{(int)c:x4}"),
                _ => b.Append(c),
            };
        }

        return b.Append('"').ToString();
    }
}
