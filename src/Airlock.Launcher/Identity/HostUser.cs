using System.Runtime.InteropServices;

namespace Airlock.Launcher.Identity;

/// <summary>The user running airlock, whose uid and gid the sandbox takes so project files stay theirs.</summary>
public sealed partial record HostUser(int Uid, int Gid, string Name, string Home)
{
    public static HostUser Current()
    {
        var uid = OperatingSystem.IsWindows() ? 1000 : (int)GetUid();
        var gid = OperatingSystem.IsWindows() ? 1000 : (int)GetGid();
        return new HostUser(uid, gid, Environment.UserName, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
    }

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    private static partial uint GetGid();
}
