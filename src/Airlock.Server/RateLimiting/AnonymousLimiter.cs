using System.Threading.RateLimiting;

namespace Airlock.Server.RateLimiting;

/// <summary>
/// Token buckets for requests that carry no valid credential (none, a wrong key, a bad token): one per client address,
/// and one for all addresses together, which probes of <c>/healthz</c> and <c>/readyz</c> do not draw on (so a flood
/// from many addresses cannot make a healthy server look dead). Such requests cost the server a database read for an
/// unknown key and an audit entry for a refused change; without a bound, anyone who can reach the port sets the load.
/// Behind a proxy every client has the proxy's address.
/// </summary>
public sealed class AnonymousLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => Bucket(ServerLimits.AnonymousBurstPerAddress, ServerLimits.AnonymousPerSecondPerAddress)));

    private readonly RateLimiter _all = new TokenBucketRateLimiter(Bucket(ServerLimits.AnonymousBurst, ServerLimits.AnonymousPerSecond));

    /// <summary>Takes a token for one such request; a lease that is not acquired is a 429.</summary>
    public RateLimitLease Acquire(string address, bool probe)
    {
        var lease = _perAddress.AttemptAcquire(address);
        if (!lease.IsAcquired || probe)
        {
            return lease;
        }

        lease.Dispose();
        return _all.AttemptAcquire();
    }

    /// <summary>Whether a request from <paramref name="address"/> would still get a token (nothing is taken).</summary>
    public bool HasRoom(string address) =>
        _perAddress.GetStatistics(address) is not { CurrentAvailablePermits: <= 0 } && _all.GetStatistics() is not { CurrentAvailablePermits: <= 0 };

    private static TokenBucketRateLimiterOptions Bucket(int burst, int perSecond) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public void Dispose()
    {
        _perAddress.Dispose();
        _all.Dispose();
    }
}
