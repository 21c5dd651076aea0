using Airlock.Launcher.Launch;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Tests.Launch;

public sealed class VolumeSpecTests : IDisposable
{
    private readonly TempDirectory _host = new();

    private string Home => _host.Path;

    [Fact]
    public void A_home_relative_source_lands_at_the_same_place_in_the_sandbox_home()
    {
        _host.CreateDirectory("repos/abc");

        VolumeSpec.Parse("~/repos/abc", Home, "--volume").ShouldBe(new SandboxMount(_host.Combine("repos", "abc"), "/home/airlock/repos/abc"));
    }

    [Fact]
    public void A_home_relative_destination_is_below_the_sandbox_home()
    {
        _host.CreateDirectory("a");

        VolumeSpec.Parse("~/a:~/b", Home, "--volume").ShouldBe(new SandboxMount(_host.Combine("a"), "/home/airlock/b"));
    }

    [Fact]
    public void The_home_itself_maps_to_the_sandbox_home()
    {
        VolumeSpec.Parse("~:~", Home, "--volume").ShouldBe(new SandboxMount(Home, "/home/airlock"));
    }

    [Fact]
    public void An_absolute_path_with_ro_is_mounted_read_only_at_the_same_path()
    {
        var abs = _host.CreateDirectory("data");

        VolumeSpec.Parse($"{abs}:{abs}:ro", Home, "--volume").ShouldBe(new SandboxMount(abs, abs, ReadOnly: true));
    }

    [Fact]
    public void An_absolute_source_alone_is_mounted_writable_at_the_same_path()
    {
        var file = _host.Write("notes.txt", "x");

        VolumeSpec.Parse(file, Home, "--volume").ShouldBe(new SandboxMount(file, file, ReadOnly: false));
        VolumeSpec.Parse($"{file}:/notes:rw", Home, "--volume").ShouldBe(new SandboxMount(file, "/notes", ReadOnly: false));
    }

    [Fact]
    public void A_source_that_does_not_exist_is_refused_naming_where_it_was_written()
    {
        var missing = _host.Combine("missing");

        var ex = Should.Throw<LauncherException>(() => VolumeSpec.Parse("~/missing:/m", Home, "namespaces.work.volumes[0]"));

        ex.Message.ShouldBe($"namespaces.work.volumes[0] '~/missing:/m': {missing} does not exist on the host; create it or fix the path");
    }

    [Theory]
    [InlineData("data")]
    [InlineData("./data:/data")]
    [InlineData("~user/data")]
    public void A_relative_source_is_refused(string text)
    {
        _host.CreateDirectory("data");

        var ex = Should.Throw<LauncherException>(() => VolumeSpec.Parse(text, Home, "--volume"));

        ex.Message.ShouldStartWith($"--volume '{text}': the source '");
        ex.Message.ShouldContain("must be absolute or start with ~/");
    }

    [Fact]
    public void A_relative_destination_is_refused()
    {
        var abs = _host.CreateDirectory("data");

        var ex = Should.Throw<LauncherException>(() => VolumeSpec.Parse($"{abs}:data", Home, "--volume"));

        ex.Message.ShouldBe($"--volume '{abs}:data': the destination 'data' must be absolute or start with ~/");
    }

    [Theory]
    [InlineData(":/x")]
    [InlineData("/a:/b:/c")]
    [InlineData(":ro")]
    public void A_malformed_volume_is_refused_with_the_accepted_forms(string text)
    {
        var ex = Should.Throw<LauncherException>(() => VolumeSpec.Parse(text, Home, "--volume"));

        ex.Message.ShouldBe($"--volume '{text}': use SRC, SRC:DST, or either with :ro (e.g. ~/data:/data:ro)");
    }

    public void Dispose() => _host.Dispose();
}
