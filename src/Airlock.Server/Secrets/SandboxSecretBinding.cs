namespace Airlock.Server.Secrets;

/// <summary>One secret of one sandbox: the tenant secret it names, the variable it sees, and the placeholder in it.</summary>
public sealed record SandboxSecretBinding(string Name, string Variable, string Placeholder);
