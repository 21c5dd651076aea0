namespace Airlock.Server.RateLimiting;

/// <summary>
/// A token bucket per API key and one per tenant: <c>PerSecond</c> requests refill each second up to <c>Burst</c>.
/// Null means that level is not limited.
/// </summary>
public sealed record RateLimitTier(double? KeyPerSecond, int? KeyBurst, double? TenantPerSecond, int? TenantBurst)
{
    public static readonly IReadOnlyDictionary<string, RateLimitTier> Defaults = new Dictionary<string, RateLimitTier>(StringComparer.Ordinal)
    {
        ["free"] = new(5, 10, 20, 40),
        ["standard"] = new(50, 100, 200, 400),
        ["premium"] = new(500, 1000, 2000, 4000),
        ["unlimited"] = new(null, null, null, null),
    };
}
