using System.Diagnostics;

namespace Airlock.Cli.Tests.Infrastructure;

/// <summary>Waits for a real condition, checking it often, up to a deadline: never a fixed sleep as synchronisation.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        T last;
        while (true)
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0} s waiting for {what}; last seen:\n{last}");
            }

            await Task.Delay(50);
        }
    }
}
