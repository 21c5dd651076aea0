using Microsoft.Extensions.Logging;

namespace Airlock.Engine.Transport;

internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Path} -> {Status} in {ElapsedMs} ms")]
    public static partial void Request(ILogger logger, string method, string path, int status, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "hijacked {Path} -> {Status}")]
    public static partial void Hijack(ILogger logger, string path, int status);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "started podman system service on {Socket}")]
    public static partial void PodmanServiceStarted(ILogger logger, string socket);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "engine candidate {Endpoint} ({Source}): {Outcome}")]
    public static partial void Candidate(ILogger logger, string endpoint, string source, string outcome);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "engine socket {Endpoint} skipped: {Problem}")]
    public static partial void Untrusted(ILogger logger, string endpoint, string problem);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Method} {Path} sent detached (no answer read)")]
    public static partial void Detached(ILogger logger, string method, string path);
}
