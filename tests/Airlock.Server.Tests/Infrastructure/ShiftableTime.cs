namespace Airlock.Server.Tests.Infrastructure;

/// <summary>The real clock moved forward on demand, for token expiry: waiting out a token's lifetime is not a test.</summary>
public sealed class ShiftableTime : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
