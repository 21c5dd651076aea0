namespace Airlock.Cli.Commands;

/// <summary>
/// Where a program's own command line starts among an airlock command's words. From there on airlock reads nothing:
/// <see cref="CommandLineSplitter"/> puts a <c>--</c> at that point, so the parser neither takes those words for options
/// nor splits, expands or drops any of them.
/// </summary>
public enum ProgramWords
{
    /// <summary>
    /// At the first word that is not an option: airlock's options may come before it, and a <c>--</c> the user writes
    /// before it ends them (<c>airlock work --dry-run ls -la</c>, <c>airlock work -- -weird-name</c>).
    /// </summary>
    FromFirstWord,

    /// <summary>
    /// Right after the command's leading arguments, whatever the next word looks like, as <c>podman exec CONTAINER</c>
    /// reads it; a <c>--</c> written there is a separator and is dropped (<c>airlock sandbox exec sb1 -- uname -a</c>).
    /// </summary>
    AfterLeadingArguments,

    /// <summary>
    /// Right after the command's leading arguments, every word exactly as given, a <c>--</c> included
    /// (<c>airlock run claude -- -p hi</c> gives claude <c>-- -p hi</c>).
    /// </summary>
    Verbatim,
}
