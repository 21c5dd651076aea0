namespace Airlock.Server.Sandboxes;

/// <summary>
/// The command's exit code and output; output beyond the server's cap is cut and flagged. When the command outlived its
/// time limit, <see cref="TimedOut"/> is true, <see cref="ExitCode"/> is absent and the output is what came until then.
/// </summary>
public sealed record ExecResponse(int? ExitCode, string Stdout, string Stderr, bool Truncated, bool TimedOut);
