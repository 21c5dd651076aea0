using Airlock.Sandboxes.Specs;

namespace Airlock.Server.Tenants;

/// <summary>
/// The isolation levels the system admin lets a tenant use, and the one its sandboxes get when a create names none.
/// A tenant forced onto gVisor has <c>Allowed = [gvisor]</c> and <c>Default = gvisor</c>.
/// </summary>
public sealed record TenantIsolation(IReadOnlyList<IsolationLevel> Allowed, IsolationLevel Default)
{
    /// <summary>A new tenant's (and every tenant's from before the policy existed): any level, an ordinary container unless asked.</summary>
    public static readonly TenantIsolation Open = new(IsolationLevels.All, IsolationLevel.Container);

    public bool Allows(IsolationLevel level) => Allowed.Contains(level);

    /// <summary>"gvisor" or "container, gvisor": the allowed levels, strongest last, as messages name them.</summary>
    public string AllowedNames => string.Join(", ", Allowed.Select(IsolationLevels.Name));

    /// <summary>The allowed levels as stored (<c>container,gvisor</c>).</summary>
    public string Stored => string.Join(",", Allowed.Select(IsolationLevels.Name));

    /// <summary>The policy read back from the store's two columns; an unknown name (a newer server's level) is left out.</summary>
    public static TenantIsolation FromStored(string allowed, string @default)
    {
        var levels = allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(IsolationLevels.TryParse).OfType<IsolationLevel>().Distinct().Order().ToList();
        var chosen = IsolationLevels.TryParse(@default) ?? IsolationLevel.Container;
        return levels.Count == 0 ? Open : new TenantIsolation(levels, levels.Contains(chosen) ? chosen : levels[^1]);
    }
}
