using Airlock.Server.Errors;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// How many of one kind of long-lived engine work (log streams, execs) each tenant has under way on this server, and
/// the most it may: each holds engine resources (a podman exec holds a conmon process on the host) and server memory
/// (an exec's output buffers), so one tenant must not take them all. Counted per server, in memory.
/// </summary>
public sealed class TenantSlots(int max, string what, string howToFree)
{
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);

    /// <summary>Takes one of the tenant's slots until the lease is disposed; 429 naming the bound when all are taken.</summary>
    public IDisposable Enter(string tenantId)
    {
        lock (_held)
        {
            var held = _held.GetValueOrDefault(tenantId);
            if (held >= max)
            {
                throw new ApiException(429, "too many at once", $"tenant '{tenantId}' already has {max} {what} under way on this server, the most it may; {howToFree}")
                {
                    RetryAfterSeconds = 5,
                };
            }

            _held[tenantId] = held + 1;
        }

        return new Lease(this, tenantId);
    }

    private void Leave(string tenantId)
    {
        lock (_held)
        {
            var left = _held.GetValueOrDefault(tenantId) - 1;
            if (left <= 0)
            {
                _held.Remove(tenantId);
            }
            else
            {
                _held[tenantId] = left;
            }
        }
    }

    private sealed class Lease(TenantSlots slots, string tenantId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                slots.Leave(tenantId);
            }
        }
    }
}
