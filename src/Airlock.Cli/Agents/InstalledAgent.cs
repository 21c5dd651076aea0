namespace Airlock.Cli.Agents;

/// <summary>One row of <c>airlock list agents</c>.</summary>
public sealed record InstalledAgent(string Name, string DisplayName, string Binary, string Package, bool Installed, string? Version);

/// <summary>What <c>airlock list agents --json</c> prints.</summary>
public sealed record AgentListing(string Namespace, string Image, bool HasManifest, string? NodeVersion, IReadOnlyList<InstalledAgent> Agents);
