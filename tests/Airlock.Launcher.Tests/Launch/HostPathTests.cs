using Airlock.Launcher.Launch;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Files;

namespace Airlock.Launcher.Tests.Launch;

public sealed class HostPathTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Links_anywhere_in_the_path_are_resolved_as_the_kernel_would()
    {
        var real = _dir.CreateDirectory("real/inner");
        File.CreateSymbolicLink(_dir.Combine("abs"), _dir.Combine("real"));
        File.CreateSymbolicLink(_dir.Combine("rel"), "real/inner/../inner");
        File.CreateSymbolicLink(_dir.Combine("chain"), "rel");

        HostPath.Resolve(_dir.Combine("abs", "inner")).ShouldBe(real);
        HostPath.Resolve(_dir.Combine("rel")).ShouldBe(real);
        HostPath.Resolve(_dir.Combine("chain", "..", "inner")).ShouldBe(real);
    }

    [Fact]
    public void Magic_links_of_proc_resolve_to_what_they_show()
    {
        HostPath.Resolve("/proc/self/root").ShouldBe("/");
        HostPath.Resolve("/proc/self/root/etc").ShouldBe("/etc");
    }

    [Fact]
    public void A_missing_tail_is_kept_as_written()
    {
        File.CreateSymbolicLink(_dir.Combine("to-real"), _dir.Combine("real"));

        HostPath.Resolve(_dir.Combine("to-real", "not", "yet")).ShouldBe(_dir.Combine("real", "not", "yet"));
    }

    [Fact]
    public void A_link_loop_is_a_clear_error()
    {
        File.CreateSymbolicLink(_dir.Combine("a"), "b");
        File.CreateSymbolicLink(_dir.Combine("b"), "a");

        Should.Throw<LauncherException>(() => HostPath.Resolve(_dir.Combine("a"))).Message.ShouldContain("more than 40 symbolic links");
    }

    [Theory]
    [InlineData("/a/b", "/a", true)]
    [InlineData("/a", "/a", true)]
    [InlineData("/ab", "/a", false)]
    [InlineData("/a", "/a/b", false)]
    [InlineData("/anything", "/", true)]
    public void At_or_below_compares_whole_components(string path, string dir, bool below)
    {
        AbsolutePath.IsAtOrBelow(path, dir).ShouldBe(below);
    }

    public void Dispose() => _dir.Dispose();
}
