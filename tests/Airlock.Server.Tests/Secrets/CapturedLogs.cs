using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Tests.Secrets;

/// <summary>Every line a server logs, at every level (Trace included), with its exceptions: to prove what never appears in them.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string All => string.Join('\n', _lines);

    public int Count => _lines.Count;

    /// <summary>The server's logging with everything at Trace going here.</summary>
    public void Configure(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter("Microsoft", LogLevel.Trace).AddFilter("System", LogLevel.Trace).AddFilter("Airlock", LogLevel.Trace);
        logging.AddProvider(this);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
