using System.Diagnostics;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;

namespace Airlock.Engine.Tests.Discovery;

/// <summary>A socket, or airlock's private runtime dir, that another local user made is never trusted.</summary>
public sealed class SocketTrustTests : IDisposable
{
    private const int OtherUser = 65534;
    private readonly string _scratch = Directory.CreateTempSubdirectory("airlock-trust-").FullName;

    [Fact]
    public void A_socket_of_root_or_the_user_in_their_own_dirs_is_trusted()
    {
        using var socket = new FakeEngineSocket(Path.Combine(_scratch, "mine", "engine.sock"));

        SocketTrust.Problem(socket.Path, uid: 0).ShouldBeNull();
    }

    [Fact]
    public void A_socket_another_user_owns_is_not_trusted()
    {
        using var socket = new FakeEngineSocket(Path.Combine(_scratch, "theirs", "podman.sock"));
        Chown(socket.Path);

        SocketTrust.Problem(socket.Path, uid: 1000)!.ShouldContain($"belongs to uid {OtherUser}");
    }

    [Fact]
    public void A_socket_in_a_directory_another_user_owns_is_not_trusted_even_through_a_link()
    {
        using var socket = new FakeEngineSocket(Path.Combine(_scratch, "theirs", "podman.sock"));
        Chown(Path.GetDirectoryName(socket.Path)!);
        var link = Path.Combine(_scratch, "looks-mine");
        File.CreateSymbolicLink(link, Path.Combine(_scratch, "theirs"));

        SocketTrust.Problem(Path.Combine(link, "podman.sock"), uid: 0)!.ShouldContain($"{_scratch}/theirs (above {_scratch}/theirs/podman.sock) belongs to uid {OtherUser}");
    }

    [Fact]
    public void A_socket_in_a_directory_anyone_can_write_without_the_sticky_bit_is_not_trusted()
    {
        using var socket = new FakeEngineSocket(Path.Combine(_scratch, "open", "podman.sock"));
        File.SetUnixFileMode(Path.GetDirectoryName(socket.Path)!, (UnixFileMode)0x1FF);

        SocketTrust.Problem(socket.Path, uid: 0)!.ShouldContain("writable by others");
    }

    [Fact]
    public void The_private_runtime_dir_is_made_0700_and_refused_when_another_user_made_it_first()
    {
        var mine = Path.Combine(_scratch, "airlock-0");
        var planted = Directory.CreateDirectory(Path.Combine(_scratch, "airlock-planted")).FullName;
        Chown(planted);
        var link = Path.Combine(_scratch, "airlock-link");
        File.CreateSymbolicLink(link, Directory.CreateDirectory(Path.Combine(_scratch, "elsewhere")).FullName);

        PrivateRuntimeDirectory.Ensure(mine);
        var notYours = Should.Throw<EngineUnreachableException>(() => PrivateRuntimeDirectory.Ensure(planted));
        var aLink = Should.Throw<EngineUnreachableException>(() => PrivateRuntimeDirectory.Ensure(link));

        File.GetUnixFileMode(mine).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        notYours.Message.ShouldContain($"belongs to uid {OtherUser}");
        aLink.Message.ShouldContain("symbolic link");
    }

    private static void Chown(string path)
    {
        using var chown = Process.Start("chown", [$"{OtherUser}:{OtherUser}", path])!;
        chown.WaitForExit();
        chown.ExitCode.ShouldBe(0);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
