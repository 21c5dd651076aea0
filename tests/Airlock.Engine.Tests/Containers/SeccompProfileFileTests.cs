using Airlock.Engine.Containers;

namespace Airlock.Engine.Tests.Containers;

/// <summary>podman's copy of a seccomp profile: podman reads only files, and the copy must be exactly what Airlock meant.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SeccompProfileFileTests : IDisposable
{
    private const string Profile = """{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[]}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("airlock-seccomp-test-").FullName;

    [Fact]
    public void In_a_directory_one_file_per_content_is_kept_private_and_reused()
    {
        var state = Path.Combine(_dir, "state", "seccomp");

        string first, second;
        using (var file = SeccompProfileFile.Write(Profile, state))
        {
            first = file.Path;
        }

        using (var file = SeccompProfileFile.Write(Profile, state))
        {
            second = file.Path;
        }

        second.ShouldBe(first);
        File.ReadAllText(first).ShouldBe(Profile);
        File.GetUnixFileMode(state).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.GetFiles(state).ShouldBe([first]);
    }

    [Fact]
    public void A_copy_that_was_changed_or_replaced_by_a_link_is_written_again()
    {
        var state = Path.Combine(_dir, "seccomp");
        string path;
        using (var file = SeccompProfileFile.Write(Profile, state))
        {
            path = file.Path;
        }

        File.WriteAllText(path, """{"defaultAction":"SCMP_ACT_ALLOW"}""");
        using (SeccompProfileFile.Write(Profile, state))
        {
            File.ReadAllText(path).ShouldBe(Profile);
        }

        var elsewhere = Path.Combine(_dir, "elsewhere.json");
        File.WriteAllText(elsewhere, Profile);
        File.Delete(path);
        File.CreateSymbolicLink(path, elsewhere);
        using (SeccompProfileFile.Write(Profile, state))
        {
            new FileInfo(path).LinkTarget.ShouldBeNull("a link could be repointed after the check");
        }
    }

    [Fact]
    public void Without_a_directory_the_copy_lives_in_a_private_temporary_directory_until_disposed()
    {
        string path;
        using (var file = SeccompProfileFile.Write(Profile, null))
        {
            path = file.Path;
            File.ReadAllText(path).ShouldBe(Profile);
            File.GetUnixFileMode(Path.GetDirectoryName(path)!).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Exists(Path.GetDirectoryName(path)).ShouldBeFalse();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
