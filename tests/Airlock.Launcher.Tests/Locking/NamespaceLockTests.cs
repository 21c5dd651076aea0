using Airlock.Launcher.Locking;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Locking;

public sealed class NamespaceLockTests : IDisposable
{
    private readonly TempDirectory _locks = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_holder_waits_says_whom_for_once_and_gets_the_lock_when_the_first_lets_go()
    {
        var first = await NamespaceLock.AcquireAsync(_locks.Path, "work", null, TimeProvider.System, Ct);
        first.WaitedFor.ShouldBeNull();
        var waits = new List<string>();
        var waited = new TaskCompletionSource();

        var second = NamespaceLock.AcquireAsync(_locks.Path, "work", holder => { waits.Add(holder); waited.TrySetResult(); }, TimeProvider.System, Ct);
        await waited.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        second.IsCompleted.ShouldBeFalse("the lock is still held");
        first.Dispose();
        using var got = await second.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        waits.ShouldBe([$"airlock (pid {Environment.ProcessId})"]);
        got.WaitedFor.ShouldBe($"airlock (pid {Environment.ProcessId})");
    }

    [Fact]
    public async Task Different_namespaces_do_not_wait_for_each_other()
    {
        using var work = await NamespaceLock.AcquireAsync(_locks.Path, "work", null, TimeProvider.System, Ct);

        using var play = await NamespaceLock.AcquireAsync(_locks.Path, "play", _ => throw new InvalidOperationException("must not wait"), TimeProvider.System, Ct);

        play.WaitedFor.ShouldBeNull();
    }

    [Fact]
    public async Task Waiting_ends_when_cancelled()
    {
        using var first = await NamespaceLock.AcquireAsync(_locks.Path, "work", null, TimeProvider.System, Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waited = new TaskCompletionSource();

        var second = NamespaceLock.AcquireAsync(_locks.Path, "work", _ => waited.TrySetResult(), TimeProvider.System, cts.Token);
        await waited.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => second);
    }

    public void Dispose() => _locks.Dispose();
}
