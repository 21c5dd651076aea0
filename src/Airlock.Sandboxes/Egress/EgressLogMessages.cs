using Microsoft.Extensions.Logging;

namespace Airlock.Sandboxes.Egress;

internal static partial class EgressLogMessages
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "egress refused for sandbox {SandboxId}: {Protocol} {Destination} ({Reason})")]
    public static partial void Refused(ILogger logger, string sandboxId, EgressProtocol protocol, string destination, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "egress for sandbox {SandboxId}: {Protocol} {Destination} via {Address}, {BytesUp} up, {BytesDown} down")]
    public static partial void Finished(ILogger logger, string sandboxId, EgressProtocol protocol, string destination, string? address, long bytesUp, long bytesDown);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "egress record of sandbox {SandboxId} not written")]
    public static partial void RecordLost(ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "egress proxy of sandbox {SandboxId} stopped accepting")]
    public static partial void AcceptFailed(ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "egress connection of sandbox {SandboxId} failed")]
    public static partial void ConnectionFailed(ILogger logger, string sandboxId, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "egress for sandbox {SandboxId}: secret {Secret} added to a request to {Destination}")]
    public static partial void SecretAdded(ILogger logger, string sandboxId, string secret, string destination);
}
