using Airlock.Sandboxes.Files;

namespace Airlock.Launcher.Conduit;

/// <summary>
/// Conduit's reads and writes in a namespace home, which the sandbox can write too: through <see cref="ConfinedDirectory"/>,
/// so a link planted there (~/.pi/agent/models.json -> ~/.ssh/config on the host) is refused, never read or written
/// through, and a file is replaced in one step (an agent reading it, or a crash, never sees half a file). Refusals become
/// a <see cref="ConduitException"/> naming the file and how to fix it.
/// </summary>
public static class HomeFiles
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The file's text, or null when there is none.</summary>
    public static string? ReadText(string home, string relative) => Guard(() => Of(home).ReadText(relative));

    /// <summary>Replaces the file; a new one gets <paramref name="newFileMode"/>, an existing one keeps its permissions.</summary>
    public static void WriteText(string home, string relative, string content, UnixFileMode newFileMode = OwnerOnly) =>
        Guard(() =>
        {
            Of(home).WriteText(relative, content, newFileMode);
            return true;
        });

    private static ConfinedDirectory Of(string home) => new(home, "the namespace home");

    private static T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (UnsafePathException ex)
        {
            throw new ConduitException(ex.Message, ex.HowToFix);
        }
    }
}
