namespace Airlock.Cli.Terminal;

/// <summary>
/// The engine could not start the requested command (not found, not executable). Reported like a shell would: exit 127
/// for a command that does not exist, 126 for one that cannot be run.
/// </summary>
public sealed class CommandStartException(string message, int exitCode, Exception inner) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public static CommandStartException? TryFrom(Airlock.Engine.Errors.EngineException ex, string what)
    {
        var text = ex.EngineMessage ?? ex.Message;
        if (text.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || text.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase))
        {
            return new CommandStartException($"{what}: the command was not found in the container: {text}", 127, ex);
        }

        if (text.Contains("permission denied", StringComparison.OrdinalIgnoreCase))
        {
            return new CommandStartException($"{what}: the command could not be run: {text}", 126, ex);
        }

        return null;
    }
}
