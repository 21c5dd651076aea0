namespace Airlock.Sandboxes.Mcp;

/// <summary>How a command ended and what it printed (each stream cut at <see cref="SandboxToolLimits.MaxOutputBytes"/>).</summary>
/// <param name="TimedOut">The command ran past its timeout and was killed (its exit code is then the kill's).</param>
/// <param name="StdoutBytes">How many bytes stdout had in all, kept or not.</param>
public sealed record CommandOutcome(
    int ExitCode,
    string Stdout,
    string Stderr,
    bool TimedOut,
    bool StdoutTruncated,
    bool StderrTruncated,
    long StdoutBytes,
    long StderrBytes);
