using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Runtime;

/// <summary>A sandbox in a listing.</summary>
/// <param name="State">The engine's state word: <c>created</c>, <c>running</c>, <c>exited</c> ...</param>
public sealed record SandboxSummary(string Id, string Name, string Image, string State, string? Status, DateTimeOffset Created, SandboxOwner Owner)
{
    public bool Running => State == "running";

    /// <summary>Its isolation level, from its label.</summary>
    public IsolationLevel Isolation { get; init; }
}
