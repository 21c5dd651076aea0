using System.Diagnostics;

namespace Airlock.Tests.Support;

/// <summary>Waits for a real condition, checking it often, up to a deadline: never a fixed sleep as synchronisation.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reads until <paramref name="done"/> holds and returns that reading; after <paramref name="timeout"/> (default 60 s)
    /// fails saying what it waited for and what it saw last.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var last = await read().ConfigureAwait(false);
            if (done(last))
            {
                return last;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"gave up after {limit.TotalSeconds:0} s waiting for {what}; last seen:\n{last}");
            }

            await Task.Delay(Interval).ConfigureAwait(false);
        }
    }

    /// <summary>The same with the timeout before the description, as the CLI tests write it.</summary>
    public static Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what) =>
        UntilAsync(read, done, what, timeout);
}
