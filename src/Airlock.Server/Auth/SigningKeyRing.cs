using Microsoft.Extensions.Logging;

namespace Airlock.Server.Auth;

/// <summary>
/// The signing keys this server holds, read from <see cref="SigningKeyFile"/> and read again when the file changes
/// (checked at most every <see cref="RecheckAfter"/>): a rotation, or a key removed to end its tokens at once, is seen
/// within that bound without a restart. A file that cannot be read any more leaves the keys as they were (logged).
/// </summary>
public sealed partial class SigningKeyRing
{
    /// <summary>How stale the keys may be: the same bound as a revocation made through another server.</summary>
    public static readonly TimeSpan RecheckAfter = ApiKeyCache.Lifetime;

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private State _state;

    public SigningKeyRing(string path, IReadOnlyList<SigningKey> keys, TimeProvider time, ILogger logger)
    {
        _path = path;
        _time = time;
        _logger = logger;
        _state = new State(keys, Stamp(path), time.GetUtcNow());
    }

    public string Path => _path;

    /// <summary>The key new tokens are signed with.</summary>
    public SigningKey Current => Fresh().Keys[0];

    /// <summary>The key named <paramref name="id"/> in a token's header, if this server still accepts it.</summary>
    public SigningKey? Find(string? id) => id is null ? null : Fresh().Keys.FirstOrDefault(k => k.Id == id);

    private State Fresh()
    {
        var state = Volatile.Read(ref _state);
        if (!state.Due(_time.GetUtcNow()))
        {
            return state;
        }

        lock (_gate)
        {
            state = _state;
            if (!state.Due(_time.GetUtcNow()))
            {
                return state;
            }

            var stamp = Stamp(_path);
            var keys = state.Keys;
            if (stamp != state.Stamp)
            {
                try
                {
                    keys = SigningKeyFile.Read(_path);
                    LogReloaded(_logger, _path, keys.Count);
                }
                catch (SigningKeyFileException ex)
                {
                    LogReloadFailed(_logger, ex.Message);
                }
            }

            Volatile.Write(ref _state, new State(keys, stamp, _time.GetUtcNow()));
            return _state;
        }
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : default;
    }

    // On the wall clock (the one token lifetimes use); a clock set back counts as due, so the file is never left unread.
    private sealed record State(IReadOnlyList<SigningKey> Keys, (DateTime, long) Stamp, DateTimeOffset CheckedAt)
    {
        public bool Due(DateTimeOffset now) => now - CheckedAt >= RecheckAfter || now < CheckedAt;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "read the token signing keys again from {Path}: {Count} key(s)")]
    private static partial void LogReloaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "the token signing key file changed but cannot be used ({Reason}); the keys read before stay in use")]
    private static partial void LogReloadFailed(ILogger logger, string reason);
}
