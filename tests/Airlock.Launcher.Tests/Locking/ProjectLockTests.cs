using Airlock.Launcher.Locking;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Locking;

public sealed class ProjectLockTests : IDisposable
{
    private readonly TempDirectory _locks = new();

    [Fact]
    public void A_second_acquire_of_the_same_project_is_refused_naming_the_holder()
    {
        using var first = ProjectLock.Acquire(_locks.Path, "/home/dev/project", "session airlock-work-1a2b3c4d");

        var ex = Should.Throw<LauncherException>(() => ProjectLock.Acquire(_locks.Path, "/home/dev/project", "session airlock-work-99999999"));

        ex.Message.ShouldStartWith($"/home/dev/project is already in use by session airlock-work-1a2b3c4d (pid {Environment.ProcessId}, since ");
        ex.Message.ShouldContain("--allow-concurrent");
    }

    [Fact]
    public void After_dispose_the_project_can_be_acquired_again()
    {
        ProjectLock.Acquire(_locks.Path, "/home/dev/project", "first").Dispose();

        using var second = ProjectLock.Acquire(_locks.Path, "/home/dev/project", "second");

        var ex = Should.Throw<LauncherException>(() => ProjectLock.Acquire(_locks.Path, "/home/dev/project", "third"));
        ex.Message.ShouldContain("in use by second (pid");
    }

    [Fact]
    public void A_different_project_is_locked_independently()
    {
        using var first = ProjectLock.Acquire(_locks.Path, "/home/dev/one", "one");

        using var second = Should.NotThrow(() => ProjectLock.Acquire(_locks.Path, "/home/dev/two", "two"));
    }

    [Fact]
    public void The_locks_dir_is_created_when_missing_and_the_lock_and_its_holder_note_go_with_the_lock()
    {
        var dir = _locks.Combine("nested", "locks");

        var held = ProjectLock.Acquire(dir, "/p", "me");
        Directory.GetFiles(dir, "*.holder").ShouldHaveSingleItem();
        Directory.GetFiles(dir, "*.lock").ShouldHaveSingleItem();
        held.Dispose();

        Directory.GetFiles(dir).ShouldBeEmpty("a released lock leaves nothing behind");
    }

    [Fact]
    public void A_lock_whose_file_is_removed_by_its_releaser_is_taken_again_on_a_new_file()
    {
        for (var i = 0; i < 3; i++)
        {
            using var held = ProjectLock.Acquire(_locks.Path, "/p", $"holder {i}");
            Should.Throw<LauncherException>(() => ProjectLock.Acquire(_locks.Path, "/p", "rival"));
        }

        Directory.GetFiles(_locks.Path).ShouldBeEmpty();
    }

    [Fact]
    public void A_holder_note_left_by_a_dead_holder_names_its_session_to_the_next_one()
    {
        // A killed holder never disposes: its flock goes with the process, its note stays. Simulated by writing the note.
        ProjectLock.Acquire(_locks.Path, "/p", "session airlock-work-dead", "airlock-work-dead").Dispose();
        using (var first = ProjectLock.Acquire(_locks.Path, "/p", "session airlock-work-1", "airlock-work-1"))
        {
            first.StaleSession.ShouldBeNull("the previous holder released the lock properly");
            File.Copy(Directory.GetFiles(_locks.Path, "*.holder").Single(), _locks.Combine("note.keep"));
        }

        var holder = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("/p"u8))[..16] + ".holder";
        File.Copy(_locks.Combine("note.keep"), _locks.Combine(holder));

        using var next = ProjectLock.Acquire(_locks.Path, "/p", "session airlock-work-2", "airlock-work-2");

        next.StaleSession.ShouldBe("airlock-work-1");
    }

    public void Dispose() => _locks.Dispose();
}
