namespace Airlock.Cli;

/// <summary>Airlock's exit codes. A sandboxed command's own exit code is passed through unchanged instead.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A bug in Airlock (the stack trace is shown with <c>--verbose</c>).</summary>
    public const int Bug = 1;

    /// <summary>The user's input or set-up is wrong; the message says what and how to fix it.</summary>
    public const int UserError = 2;

    /// <summary>The engine (or server) cannot be reached; the message says how to start it.</summary>
    public const int Unreachable = 3;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated by SIGTERM (128 + 15).</summary>
    public const int Terminated = 143;
}
