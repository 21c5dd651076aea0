namespace Airlock.Client;

public sealed record ExecBody(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? Env, string? WorkingDirectory, string? Stdin, int? TimeoutSeconds);

/// <summary>An exec's answer; <see cref="ExitCode"/> is absent when <see cref="TimedOut"/>.</summary>
public sealed record ExecResult(int? ExitCode, string Stdout, string Stderr, bool Truncated, bool TimedOut);

/// <summary>One line of a streamed exec, or a terminal's last message: stdout, stderr, exit or error.</summary>
public sealed record ExecEvent(string Type, string? Data, int? ExitCode, bool? TimedOut, int? Status, string? Title, string? Detail);

/// <summary>A terminal's first message: the command, and with a TTY its size.</summary>
public sealed record TerminalStart(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string>? Env, string? WorkingDirectory, bool Tty, int? Columns, int? Rows);

/// <summary>A terminal's control message: resize (with the size) or eof.</summary>
public sealed record TerminalControl(string Type, int? Columns, int? Rows);
