using Airlock.Sandboxes.Validation;

namespace Airlock.Launcher.Agents;

/// <summary>
/// The host variables an agent's sandbox gets, and why: those on the agent's allowlist that are set on the host, and
/// every <c>AIRLOCK_ENV_NAME=value</c> on the host as <c>NAME=value</c> (an explicit opt-in, which wins over the allowlist).
/// Nothing else of the host's environment goes in.
/// </summary>
/// <param name="Variables">What the sandbox gets, by name.</param>
/// <param name="Allowlisted">Names forwarded because the agent reads them.</param>
/// <param name="OptedIn">Names forwarded through <c>AIRLOCK_ENV_</c>.</param>
public sealed record AgentEnvironment(IReadOnlyDictionary<string, string> Variables, IReadOnlyList<string> Allowlisted, IReadOnlyList<string> OptedIn)
{
    public const string OptInPrefix = "AIRLOCK_ENV_";

    public static AgentEnvironment Resolve(AgentDefinition agent, IEnumerable<string> hostNames, Func<string, string?> hostValue)
    {
        var names = hostNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var allowlisted = new List<string>();
        foreach (var name in names.Where(n => agent.Reads(n, hostValue)))
        {
            if (hostValue(name) is { } value)
            {
                variables[name] = value;
                allowlisted.Add(name);
            }
        }

        var problems = new List<string>();
        var optedIn = new List<string>();
        foreach (var hostName in names.Where(n => n.StartsWith(OptInPrefix, StringComparison.Ordinal)))
        {
            var name = hostName[OptInPrefix.Length..];
            if (!VariableNames.IsValid(name))
            {
                problems.Add($"${hostName}: '{name}' is not a variable name ({VariableNames.Rule})");
                continue;
            }

            if (hostValue(hostName) is { } value)
            {
                variables[name] = value;
                allowlisted.Remove(name);
                optedIn.Add(name);
            }
        }

        if (problems.Count > 0)
        {
            throw new LauncherException(
                $"{string.Join("; ", problems)}. AIRLOCK_ENV_NAME=value on the host passes NAME=value to the agent: rename or unset the variable");
        }

        return new AgentEnvironment(variables, allowlisted, optedIn);
    }

    /// <summary>
    /// The provider keys among <see cref="Allowlisted"/>: given as secrets (a placeholder inside), never as plain values.
    /// One opted in through <c>AIRLOCK_ENV_</c> is plain, as asked.
    /// </summary>
    public IReadOnlyList<string> Secrets => Allowlisted.Where(Launcher.Secrets.ProviderSecrets.IsKnown).ToList();

    /// <summary>As <c>-e NAME=VALUE</c> flags (all but <see cref="Secrets"/>), the form the launch planner layers over the namespace's environment.</summary>
    public IReadOnlyList<string> AsFlags() => Variables.Where(v => !Secrets.Contains(v.Key)).Select(v => $"{v.Key}={v.Value}").ToList();
}
