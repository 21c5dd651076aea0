using Airlock.Sandboxes.Runtime;

namespace Airlock.Sandboxes.Tests.Runtime;

/// <summary>The one reading of how a running sandbox ended, from the sandbox as its engine describes it.</summary>
public sealed class SandboxExitTests
{
    private static SandboxInfo Container(bool running, int exitCode = 0, bool oomKilled = false) =>
        new("c1", "c", "img", running, running ? "running" : "exited", exitCode, oomKilled, new SandboxOwner(), new Dictionary<string, string>(), null, null, null);

    [Fact]
    public void A_running_container_has_not_ended() => SandboxExit.Of(Container(running: true)).ShouldBeNull();

    [Fact]
    public void A_container_the_engine_no_longer_has_is_gone() => SandboxExit.Of(null).ShouldBe(new SandboxExit(Gone: true, ExitCode: null, Reason: null));

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(137)]
    public void A_stopped_container_exited_with_its_code_and_no_reason(int code) =>
        SandboxExit.Of(Container(running: false, code)).ShouldBe(new SandboxExit(Gone: false, ExitCode: code, Reason: null));

    [Fact]
    public void A_container_killed_for_memory_says_so() =>
        SandboxExit.Of(Container(running: false, 137, oomKilled: true)).ShouldBe(new SandboxExit(Gone: false, ExitCode: 137, Reason: SandboxExit.OutOfMemory));
}
