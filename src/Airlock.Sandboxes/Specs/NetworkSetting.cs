namespace Airlock.Sandboxes.Specs;

/// <summary>
/// A network as people write it in a namespace's config or a template's defaults: the mode (<see cref="NetworkModes"/>;
/// null when not written) and, in <c>allowlist</c> mode, the destinations let through.
/// </summary>
public sealed record NetworkSetting(string? Mode, IReadOnlyList<string> Allow)
{
    public static readonly NetworkSetting Unset = new(null, []);
}
