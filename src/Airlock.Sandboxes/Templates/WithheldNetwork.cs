using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Templates;

/// <summary>
/// The network a template from git asked for in <c>defaults.network</c> and did not get. A git template is a stranger's
/// repository: what its Dockerfile does stays inside the build and the sandbox, but a network it names would be written
/// into the namespace's config, which decides what may leave the machine (<c>open</c>, <c>0.0.0.0/1</c>,
/// <c>169.254.169.254</c>, <c>*.attacker.example</c>). So a git template may narrow a namespace's network and never widen it past
/// <c>allowlist</c> with nothing listed, unless the user says they trust it (docs/design/template-trust.md).
/// </summary>
/// <param name="Template">The template as the user named it (its git URL[#REF]).</param>
/// <param name="Mode"><see cref="NetworkModes.Open"/> or <see cref="NetworkModes.Allowlist"/> (<c>bridge</c> is read as open).</param>
/// <param name="Allow">In allowlist mode, the destinations it listed.</param>
public sealed record WithheldNetwork(string Template, string Mode, IReadOnlyList<string> Allow)
{
    /// <summary>The flag of <c>airlock create namespace</c> and <c>airlock create template</c> that says the user trusts it.</summary>
    public const string TrustFlag = "--trust-template-network";

    /// <summary>How many destinations <see cref="Asked"/> names; <see cref="YamlLines"/> has them all.</summary>
    private const int Named = 4;

    public bool IsOpen => Mode == NetworkModes.Open;

    /// <summary>
    /// For messages: <c>network open (the internet and the LAN)</c>, or <c>network allowlist with A, B</c> (a long list
    /// cut short: <c>A, B, C, D and 36 more</c>).
    /// </summary>
    public string Asked => IsOpen
        ? $"network {NetworkModes.Open} (the internet and the LAN)"
        : $"network {NetworkModes.Allowlist} with {string.Join(", ", Allow.Take(Named).Select(a => a.Trim()))}"
          + (Allow.Count > Named ? $" and {Allow.Count - Named} more" : "");

    /// <summary>
    /// What it asked for as the <c>network:</c> setting is written in config.yaml and under a template's <c>defaults:</c>,
    /// one line each, unindented: <c>network: open</c>, or the mapping with every destination quoted (so that
    /// <c>*.x</c> and <c>[::1]:443</c> stay strings).
    /// </summary>
    public IReadOnlyList<string> YamlLines() => IsOpen
        ? [$"network: {NetworkModes.Open}"]
        : ["network:", $"  mode: {NetworkModes.Allowlist}", "  allow:", .. Allow.Select(a => $"    - \"{a.Trim()}\"")];

    /// <summary>
    /// What of <paramref name="asked"/> <paramref name="template"/> does not get: null when the template is trusted
    /// (baked in, the user's own, or <paramref name="trusted"/> because the user said so) or asks for nothing wider than
    /// what a namespace gets without it.
    /// </summary>
    public static WithheldNetwork? Of(string template, NetworkSetting? asked, bool trusted)
    {
        if (trusted || !TemplateCatalog.IsGitSpec(template) || asked is null || !Widens(asked))
        {
            return null;
        }

        return new WithheldNetwork(template, NetworkModes.FromSpec(NetworkModes.ToSpec(asked.Mode ?? NetworkModes.Allowlist)), asked.Allow);
    }

    /// <summary>
    /// Whether <paramref name="asked"/> lets more out than <c>allowlist</c> with nothing listed: <c>open</c> (or <c>bridge</c>),
    /// or any listed destination. <c>none</c> lets less out, so a git template may ask for it and gets it.
    /// </summary>
    public static bool Widens(NetworkSetting asked) =>
        (asked.Mode ?? NetworkModes.Allowlist) switch
        {
            NetworkModes.None => false,
            NetworkModes.Allowlist => asked.Allow.Count > 0,
            _ => true,
        };
}
