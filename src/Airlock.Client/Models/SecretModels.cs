namespace Airlock.Client;

/// <summary>The body of <c>POST /v1/tenants/{tenant}/secrets</c>. Its printed form leaves the value out.</summary>
public sealed record SetSecretBody(string Name, string Value, IReadOnlyList<string> Hosts, string? Inject, string? Variable)
{
    public override string ToString() => $"SetSecretBody {{ Name = {Name}, Value = [secret] }}";
}

/// <summary>A tenant secret as the server shows it: everything but the value.</summary>
public sealed record SecretInfo(string Name, string Variable, IReadOnlyList<string> Hosts, string Inject, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
