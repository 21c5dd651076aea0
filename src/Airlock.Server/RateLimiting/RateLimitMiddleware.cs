using System.Threading.RateLimiting;
using Airlock.Server.Auth;
using Airlock.Server.Errors;
using Airlock.Server.Http;
using Airlock.Server.Observability;
using Microsoft.AspNetCore.Http;

namespace Airlock.Server.RateLimiting;

/// <summary>
/// Token buckets per key and per tenant, sized by the tenant's tier; a request must get a token from both, else 429 with
/// Retry-After. The system admin's keys are not limited (they must stay able to fix things). A request without a valid
/// credential draws on the <see cref="AnonymousLimiter"/> of its address instead. Buckets are in memory, per server:
/// they limit load, they are not state anyone was promised.
/// </summary>
public sealed class RateLimitMiddleware : IDisposable
{
    private readonly RequestDelegate _next;
    private readonly ServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly PartitionedRateLimiter<string> _keys;
    private readonly PartitionedRateLimiter<string> _tenants;
    private readonly AnonymousLimiter _anonymous;

    public RateLimitMiddleware(RequestDelegate next, ServerOptions options, ServerMetrics metrics, AnonymousLimiter anonymous)
    {
        _next = next;
        _options = options;
        _metrics = metrics;
        _anonymous = anonymous;
        _keys = PartitionedRateLimiter.Create<string, string>(partition => Bucket(partition, t => (t.KeyPerSecond, t.KeyBurst)));
        _tenants = PartitionedRateLimiter.Create<string, string>(partition => Bucket(partition, t => (t.TenantPerSecond, t.TenantBurst)));
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Items[typeof(Caller)] is not Caller caller)
        {
            var address = context.ClientAddress();
            var probe = context.Request.Path.Equals("/healthz", StringComparison.Ordinal) || context.Request.Path.Equals("/readyz", StringComparison.Ordinal);
            using var lease = _anonymous.Acquire(address, probe);
            if (!lease.IsAcquired)
            {
                throw TooMany(lease, $"too many requests without a valid credential from {address} (at most {ServerLimits.AnonymousPerSecondPerAddress} a second per address); send an API key or token");
            }

            await _next(context);
            return;
        }

        if (caller.TenantId is null)
        {
            await _next(context);
            return;
        }

        var tier = caller.Tier ?? _options.DefaultTier;
        if (_options.Tiers.GetValueOrDefault(tier) is { KeyPerSecond: null, TenantPerSecond: null })
        {
            // An unlimited tier: no bucket to ask, and no partition key to build for every request.
            await _next(context);
            return;
        }

        using var keyLease = _keys.AttemptAcquire($"{tier}|{caller.KeyId}");
        if (!keyLease.IsAcquired)
        {
            throw TooMany(keyLease, $"the key {caller.KeyId} is over its rate limit (tier '{tier}')");
        }

        using var tenantLease = _tenants.AttemptAcquire($"{tier}|{caller.TenantId}");
        if (!tenantLease.IsAcquired)
        {
            throw TooMany(tenantLease, $"tenant '{caller.TenantId}' is over its rate limit (tier '{tier}')");
        }

        await _next(context);
    }

    private ApiException TooMany(RateLimitLease lease, string detail)
    {
        _metrics.RateLimited();
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        return new ApiException(429, "too many requests", $"{detail}; retry after {retry} s") { RetryAfterSeconds = retry };
    }

    private RateLimitPartition<string> Bucket(string partition, Func<RateLimitTier, (double? PerSecond, int? Burst)> pick)
    {
        var tierName = partition[..partition.IndexOf('|', StringComparison.Ordinal)];
        var tier = _options.Tiers.GetValueOrDefault(tierName) ?? _options.Tiers.GetValueOrDefault(_options.DefaultTier);
        if (tier is null || pick(tier) is not ({ } perSecond, { } burst))
        {
            return RateLimitPartition.GetNoLimiter(partition);
        }

        // Refill in whole tokens: ten times a second for fast tiers, one token every 1/rate seconds for slow ones.
        var (tokens, period) = perSecond >= 10 ? ((int)Math.Round(perSecond / 10), TimeSpan.FromMilliseconds(100)) : (1, TimeSpan.FromSeconds(1 / perSecond));
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public void Dispose()
    {
        _keys.Dispose();
        _tenants.Dispose();
    }
}
