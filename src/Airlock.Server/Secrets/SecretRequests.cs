namespace Airlock.Server.Secrets;

/// <summary>
/// The body of <c>POST /v1/tenants/{tenant}/secrets</c>: a new secret, or every part of an existing one of that name
/// (a rotated value). It prints without its value, so no log line or message that formats it can carry it.
/// </summary>
public sealed record SetSecretRequest
{
    /// <summary>Letters, digits and _, not starting with a digit (as a variable name).</summary>
    public string? Name { get; init; }

    public string? Value { get; init; }

    /// <summary>Where the value may go: egress rules, as in a sandbox's <c>network.allow</c>.</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary><c>bearer</c> (the default), <c>basic</c> or <c>header:NAME</c>.</summary>
    public string? Inject { get; init; }

    /// <summary>The variable a sandbox sees the placeholder in; the name when absent.</summary>
    public string? Variable { get; init; }

    public override string ToString() => $"SetSecretRequest {{ Name = {Name}, Value = {(Value is null ? "null" : "[secret]")} }}";
}

/// <summary>A tenant secret as the API shows it: everything but the value, which no answer ever holds.</summary>
public sealed record SecretView(string Name, string Variable, IReadOnlyList<string> Hosts, string Inject, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SecretView From(TenantSecret s) =>
        new(s.Name, s.Variable, [.. s.Hosts.Select(h => h.ToString())], s.Injection.ToString(), s.CreatedAt, s.UpdatedAt);
}
