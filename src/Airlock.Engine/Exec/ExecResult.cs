namespace Airlock.Engine.Exec;

/// <summary>The outcome of a command run to completion with its output captured.</summary>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);
