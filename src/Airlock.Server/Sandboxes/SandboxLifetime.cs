namespace Airlock.Server.Sandboxes;

/// <summary>
/// When a sandbox ends by itself: at <see cref="ExpiresAt"/> (moved by <c>POST .../timeout</c>), or once it has not been
/// used through the API for <see cref="IdleTimeout"/> while running; then it is stopped or deleted (<see cref="OnTimeout"/>).
/// </summary>
public sealed record SandboxLifetime(DateTimeOffset? ExpiresAt, string OnTimeout, TimeSpan? IdleTimeout, DateTimeOffset? LastActiveAt)
{
    public const string Stop = "stop";
    public const string Delete = "delete";

    public static readonly IReadOnlyList<string> Endings = [Stop, Delete];

    /// <summary>The most a timeout (or an idle timeout) may be: 30 days.</summary>
    public const int MaxSeconds = 30 * 24 * 3600;

    /// <summary>How often a sandbox's last use is written at most: a busy sandbox does not turn every call into a write.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(1);

    /// <summary>Whether a use at <paramref name="now"/> is to be written: only with an idle timeout, and the last write an interval old.</summary>
    public bool WantsTouch(DateTimeOffset now) => IdleTimeout is not null && !(LastActiveAt > now - TouchInterval);

    /// <summary>Why the sandbox is due at <paramref name="now"/> while in <paramref name="state"/>; null when it is not.</summary>
    public string? DueReason(DateTimeOffset now, string state)
    {
        if (ExpiresAt is { } at && at <= now)
        {
            return $"its timeout passed at {at:O}";
        }

        if (state == SandboxState.Running && IdleTimeout is { } idle && (LastActiveAt ?? now) + idle <= now)
        {
            return $"it was idle for {(int)idle.TotalSeconds} s (last used at {LastActiveAt:O})";
        }

        return null;
    }
}
