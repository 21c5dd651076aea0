using Airlock.Cli.Console;
using Spectre.Console;

namespace Airlock.Cli;

/// <summary>
/// What a command gets from the outside world: the consoles it writes to, the clock and the environment. Consoles are
/// made on first use, so commands that print nothing through Spectre (--version, engine run) never pay for them.
/// </summary>
public sealed class CliContext
{
    private readonly Lazy<IAnsiConsole> _out;
    private readonly Lazy<IAnsiConsole> _error;

    public CliContext(Func<IAnsiConsole> output, Func<IAnsiConsole> error, TimeProvider time, Func<string, string?> getVariable)
    {
        _out = new Lazy<IAnsiConsole>(output);
        _error = new Lazy<IAnsiConsole>(error);
        Time = time;
        GetVariable = getVariable;
    }

    /// <summary>Standard output: results (tables, JSON).</summary>
    public IAnsiConsole Out => _out.Value;

    /// <summary>Standard error: errors, warnings, progress.</summary>
    public IAnsiConsole Error => _error.Value;

    public TimeProvider Time { get; }

    public Func<string, string?> GetVariable { get; }

    /// <summary>The names of every variable in the environment (values through <see cref="GetVariable"/>).</summary>
    public Func<IEnumerable<string>> VariableNames { get; init; } = () => Environment.GetEnvironmentVariables().Keys.Cast<string>();

    /// <summary>Set by <c>--verbose</c>: show stack traces of unexpected errors.</summary>
    public bool Verbose { get; set; }

    public static CliContext FromProcess() => new(
        () => ConsoleFactory.Create(System.Console.Out, System.Console.IsOutputRedirected, Environment.GetEnvironmentVariable),
        () => ConsoleFactory.Create(System.Console.Error, System.Console.IsErrorRedirected, Environment.GetEnvironmentVariable),
        TimeProvider.System,
        Environment.GetEnvironmentVariable);
}
