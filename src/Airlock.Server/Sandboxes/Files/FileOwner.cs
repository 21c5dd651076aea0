namespace Airlock.Server.Sandboxes.Files;

/// <summary>The numeric user and group that own what an upload writes: the sandbox's own user, so it can change its files.</summary>
internal sealed record FileOwner(int Uid, int Gid)
{
    public static readonly FileOwner Root = new(0, 0);
}
