namespace Airlock.Launcher.Agents;

/// <summary>
/// One coding agent Airlock knows how to run: what to install, what to start, which host variables it reads, and where it
/// keeps its config and logins (under the sandbox's <c>$HOME</c>, which is the namespace home, so they persist).
/// </summary>
/// <param name="Name">The name on the command line (<c>airlock run NAME</c>) and in other features' settings.</param>
/// <param name="DisplayName">The product's name, for people.</param>
/// <param name="Binary">The executable the package puts on PATH.</param>
/// <param name="Package">The package that installs it (npm, or PyPI for <see cref="AgentSource.PyPI"/>).</param>
/// <param name="Source">Which registry <paramref name="Package"/> comes from.</param>
/// <param name="EnvironmentVariables">
/// The host variables forwarded when set: API keys, base URLs, model and provider switches. An entry ending in <c>*</c> is
/// a prefix (every host variable starting with it). Variables holding host paths are left out on purpose: the path would
/// not exist inside.
/// </param>
/// <param name="ConfigPaths">Config and login files or dirs, relative to the home.</param>
/// <param name="VersionArguments">Arguments that make <paramref name="Binary"/> print its version.</param>
/// <param name="SwitchedVariables">
/// Credentials the agent uses only when a provider is switched on (AWS keys for Claude Code on Bedrock): forwarded
/// only when the host sets that switch, so a developer's cloud keys do not follow every run.
/// </param>
public sealed record AgentDefinition(
    string Name,
    string DisplayName,
    string Binary,
    string Package,
    AgentSource Source,
    IReadOnlyList<string> EnvironmentVariables,
    IReadOnlyList<string> ConfigPaths,
    IReadOnlyList<string> VersionArguments,
    IReadOnlyList<SwitchedVariables>? SwitchedVariables = null)
{
    /// <summary>True when host variable <paramref name="name"/> is one this agent reads.</summary>
    public bool Reads(string name) => EnvironmentVariables.Any(v => v.EndsWith('*')
        ? name.StartsWith(v[..^1], StringComparison.Ordinal) && name.Length > v.Length - 1
        : name == v);

    /// <summary>
    /// True when host variable <paramref name="name"/> goes to this agent given the host's values: on the allowlist, or
    /// in a group whose switch the host turns on.
    /// </summary>
    public bool Reads(string name, Func<string, string?> hostValue) =>
        Reads(name) || (SwitchedVariables ?? []).Any(g => g.Names.Contains(name) && g.IsOn(hostValue));

    /// <summary>The command that prints the version, e.g. <c>codex --version</c>.</summary>
    public IReadOnlyList<string> VersionCommand => [Binary, .. VersionArguments];
}
