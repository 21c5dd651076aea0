using System.Diagnostics;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>Waits for a real condition, checking it often, up to a deadline: never a fixed sleep as synchronisation.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var last = await read();
            if (done(last))
            {
                return last;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"gave up after {limit.TotalSeconds:0} s waiting for {what}; last seen:\n{last}");
            }

            await Task.Delay(100);
        }
    }
}
