namespace Airlock.Server.Sandboxes;

/// <summary>The command's exit code and output; output beyond the server's cap is cut and flagged.</summary>
public sealed record ExecResponse(int ExitCode, string Stdout, string Stderr, bool Truncated);
