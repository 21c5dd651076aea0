using System.Collections.Concurrent;

namespace Airlock.Server.Auth;

/// <summary>
/// Recently read API key rows, so a busy key does not cost a database read on every request. An entry holds the row as
/// read (its stored secret hash, role, tenant and tier), keyed by the key's public id; the presented secret is still
/// hashed and compared with the stored hash on every request, so a wrong secret never rides on a cached success. Only
/// active keys are kept (unknown and revoked keys are always read afresh). An entry lives at most <see cref="Lifetime"/>:
/// a revocation, tenant deletion or tier change made through this server drops the affected entries at once; one made
/// through another server on the same database is seen here within <see cref="Lifetime"/>.
/// </summary>
public sealed class ApiKeyCache(TimeProvider time)
{
    /// <summary>How long a row is trusted without reading it again: the bound on a revocation made elsewhere.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>Enough for every active key of a large installation; beyond it, nothing new is cached until entries expire.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Bumped by every invalidation: a row read before one must not be cached after it (it may be the revoked key).
    private long _generation;

    /// <summary>Taken before reading a row from the database, and handed to <see cref="Add"/> with it.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string keyId, out CachedKey key)
    {
        if (_entries.TryGetValue(keyId, out var entry))
        {
            if (time.GetTimestamp() < entry.ExpiresAt)
            {
                key = entry.Key;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(keyId, entry));
        }

        key = default!;
        return false;
    }

    /// <summary>Caches a row read while <see cref="Generation"/> was <paramref name="readAt"/>; skipped when anything was invalidated since.</summary>
    public void Add(CachedKey key, long readAt)
    {
        if (_entries.Count >= MaxEntries)
        {
            Prune();
            if (_entries.Count >= MaxEntries)
            {
                return;
            }
        }

        _entries[key.Info.Id] = new Entry(key, time.GetTimestamp() + (long)(Lifetime.TotalSeconds * time.TimestampFrequency));
        if (Generation != readAt)
        {
            // An invalidation ran while the row was read or stored: the entry may predate it.
            _entries.TryRemove(key.Info.Id, out _);
        }
    }

    /// <summary>Drops one key (revoked through this server).</summary>
    public void Invalidate(string keyId)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(keyId, out _);
    }

    /// <summary>Drops every key of a tenant (deleted, or its tier changed).</summary>
    public void InvalidateTenant(string tenantId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (id, entry) in _entries)
        {
            if (string.Equals(entry.Key.Info.TenantId, tenantId, StringComparison.Ordinal))
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    private void Prune()
    {
        var now = time.GetTimestamp();
        foreach (var (id, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(id, out _);
            }
        }
    }

    private sealed record Entry(CachedKey Key, long ExpiresAt);
}

/// <summary>An active key's row as read from the database: what authentication needs, including the stored secret hash.</summary>
public sealed record CachedKey(ApiKeyInfo Info, string SecretHash, string? Tier, string? TenantGeneration);
