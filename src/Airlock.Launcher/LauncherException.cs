namespace Airlock.Launcher;

/// <summary>Something the user can fix: the message says what was wrong and how to fix it (exit code 2).</summary>
public sealed class LauncherException(string message) : Exception(message);
