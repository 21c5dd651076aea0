using System.Runtime.InteropServices;
using Airlock.Engine.Native;

namespace Airlock.Engine.Tests.Native;

/// <summary>
/// Inside a sandbox, Airlock's own seccomp profile answers openat2 with "not implemented", so airlock run there (conduit)
/// opens paths one component at a time: it must refuse every link and every way out that openat2 refuses.
/// </summary>
public sealed class OpenBeneathByPartsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly int _root;

    public OpenBeneathByPartsTests()
    {
        _dir.Write("inside/deeper/file.txt", "kept");
        _dir.Write("outside.txt", "secret");
        Directory.CreateDirectory(_dir.Combine("root"));
        File.CreateSymbolicLink(_dir.Combine("root/linked-dir"), _dir.Combine("inside"));
        File.CreateSymbolicLink(_dir.Combine("root/linked-file"), _dir.Combine("outside.txt"));
        Directory.CreateDirectory(_dir.Combine("root/real/deeper"));
        File.WriteAllText(_dir.Combine("root/real/deeper/file.txt"), "mine");
        _root = Posix.OpenAt2(Posix.AtFdCwd, _dir.Combine("root"), Posix.OPath | Posix.ODirectory | Posix.OCloExec, 0, 0);
        _root.ShouldBeGreaterThanOrEqualTo(0);
    }

    [Theory]
    [InlineData("real/deeper/file.txt")]
    [InlineData("./real//deeper/./file.txt")]
    public void A_plain_path_below_opens(string path)
    {
        var fd = Posix.OpenBeneathByParts(_root, path, Posix.ORdOnly | Posix.OCloExec, 0);

        fd.ShouldBeGreaterThanOrEqualTo(0);
        using var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.Read);
        new StreamReader(stream).ReadToEnd().ShouldBe("mine");
    }

    [Theory]
    [InlineData("linked-dir/deeper/file.txt", Posix.ORdOnly)]
    [InlineData("linked-file", Posix.ORdOnly)]
    [InlineData("linked-file", Posix.OPath)]
    [InlineData("linked-dir", Posix.OPath)]
    public void A_link_anywhere_on_the_way_is_refused_as_a_loop(string path, int flags)
    {
        Refusal(path, flags).ShouldBe(Posix.ELOOP);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("real/../../outside.txt")]
    [InlineData("/etc/passwd")]
    public void A_way_out_is_refused_as_crossing(string path)
    {
        Refusal(path, Posix.ORdOnly).ShouldBe(Posix.EXDEV);
    }

    [Fact]
    public void A_missing_entry_is_reported_as_missing()
    {
        Refusal("real/nothing/here", Posix.ORdOnly).ShouldBe(Posix.ENOENT);
    }

    /// <summary>The error the open failed with (read at once: any later interop call may overwrite it); a success fails the test.</summary>
    private int Refusal(string path, int flags)
    {
        var fd = Posix.OpenBeneathByParts(_root, path, flags | Posix.OCloExec, 0);
        var error = Marshal.GetLastPInvokeError();
        if (fd >= 0)
        {
            Posix.Close(fd);
        }

        fd.ShouldBe(-1, $"{path} was opened");
        return error;
    }

    public void Dispose()
    {
        Posix.Close(_root);
        _dir.Dispose();
    }
}
