namespace Airlock.Engine.Containers;

/// <summary>A host path mounted into the container.</summary>
/// <param name="Options">Extra engine options such as <c>z</c>, <c>U</c> or <c>rslave</c>.</param>
public sealed record BindMount(string Source, string Target, bool ReadOnly = false, IReadOnlyList<string>? Options = null)
{
    /// <summary>The engine's <c>src:dst[:opts]</c> form; <paramref name="noSuidNoDev"/> adds podman's <c>nosuid,nodev</c>.</summary>
    public string ToBindSpec(bool noSuidNoDev = false)
    {
        var opts = new List<string>();
        if (ReadOnly)
        {
            opts.Add("ro");
        }

        if (noSuidNoDev)
        {
            opts.Add("nosuid");
            opts.Add("nodev");
        }

        opts.AddRange(Options ?? []);
        return opts.Count == 0 ? $"{Source}:{Target}" : $"{Source}:{Target}:{string.Join(',', opts)}";
    }
}
