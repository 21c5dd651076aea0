namespace Airlock.Tests.Support;

/// <summary>
/// The suite's proof that it leaves users' Airlock state alone, as a test so a breach counts as a failure: each test
/// project derives one class from this, in a collection of its own that disables parallelization, which xunit runs
/// after every parallel collection has finished: by then every test of the project has done its writing. (The
/// definition must be in the test assembly: one defined here is not honoured, and the check would run first.)
/// </summary>
public abstract class UserStateGuard
{
    [Fact]
    public void The_tests_leave_every_existing_airlock_home_byte_for_byte_untouched()
    {
        var run = HermeticTestRun.Environment;

        var changes = run.UserStateChanges();

        changes.ShouldBeEmpty(HermeticEnvironment.Describe(changes) + $"{System.Environment.NewLine}(checked: {string.Join(", ", run.Guarded)})");
    }
}
