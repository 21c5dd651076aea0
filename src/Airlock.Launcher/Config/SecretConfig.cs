namespace Airlock.Launcher.Config;

/// <summary>
/// One entry of a namespace's <c>secrets:</c>, as written: where the value is read (<c>from</c>), the hosts it may go to,
/// where it goes (<c>inject</c>), and the variable the placeholder is in. Hosts and inject may be left out for a provider
/// key Airlock knows (its provider's); the value's source defaults to the host variable of the same name.
/// </summary>
public sealed record SecretConfig(string? From, IReadOnlyList<string> Hosts, string? Inject, string? Variable);
