using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Secrets;

namespace Airlock.Launcher.Secrets;

/// <summary>
/// A secret a launch will give its sandbox, decided before anything is made: what <c>--dry-run</c> shows. The value is
/// read only when the session starts (<see cref="Bind"/>), and never printed.
/// </summary>
/// <param name="Where">The flag or config entry it came from, for messages.</param>
public sealed record PlannedSecret(string Name, string Variable, string Placeholder, SecretSource Source, IReadOnlyList<EgressRule> Hosts, SecretInjection Injection, string Where)
{
    public SecretBinding Bind(AirlockPaths paths, Func<string, string?> hostEnv) =>
        new(Name, Variable, Placeholder, new SecretValue(Source.Read(Where, paths, hostEnv)), Hosts, Injection);

    public string Describe() => $"{Variable}: a placeholder; the value of {Source} goes as {Injection} to {string.Join(", ", Hosts)}";
}
