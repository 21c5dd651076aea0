namespace Airlock.Server.Tests.Infrastructure;

public static class Cancel
{
    /// <summary>The running test's token: a timed-out or aborted test stops waiting.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
