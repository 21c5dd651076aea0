using System.Globalization;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A real user made for one test with useradd (airlock-it-RUN-HEX, a home, no groups beyond its own), optionally allowed
/// sudo, and removed with everything it had when disposed: its processes (by pid), its home and rootless podman storage,
/// its runtime dir, subordinate ids and sudoers entry. For what must start from a user nothing has prepared.
/// </summary>
public sealed class ThrowawayUser : IAsyncDisposable
{
    private const string Path_ = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ThrowawayUser(string name, int uid, int gid, string home)
    {
        Name = name;
        Uid = uid;
        Gid = gid;
        Home = home;
    }

    public string Name { get; }
    public int Uid { get; }
    public int Gid { get; }
    public string Home { get; }
    public string RuntimeDir => $"/run/user/{Uid}";
    private string SudoersFile => $"/etc/sudoers.d/{Name}";

    public static async Task<ThrowawayUser> CreateAsync(bool sudo = false)
    {
        var name = $"airlock-it-{Names.RunId}-{Names.Hex(2)}";
        (await ProcessRunner.RunAsync("useradd", ["--create-home", "--shell", "/bin/bash", name])).ShouldSucceed();
        var uid = int.Parse((await ProcessRunner.RunAsync("id", ["-u", name])).ShouldSucceed().Stdout.Trim(), CultureInfo.InvariantCulture);
        var gid = int.Parse((await ProcessRunner.RunAsync("id", ["-g", name])).ShouldSucceed().Stdout.Trim(), CultureInfo.InvariantCulture);
        var home = (await ProcessRunner.RunAsync("getent", ["passwd", name])).ShouldSucceed().Stdout.Trim().Split(':')[5];
        var user = new ThrowawayUser(name, uid, gid, home);
        if (sudo)
        {
            File.Exists("/usr/bin/sudo").ShouldBeTrue("sudo is not installed: apt-get install sudo (scripts/test.sh does)");
            File.WriteAllText(user.SudoersFile, $"{name} ALL=(ALL:ALL) NOPASSWD: ALL\n");
            File.SetUnixFileMode(user.SudoersFile, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        }

        return user;
    }

    /// <summary>
    /// Runs a program as the user the way a login shell opened before any set-up would: its own uid and gid, only the
    /// groups it had then (<paramref name="groups"/>, default: its own group, so a docker group added since does not count
    /// yet: that takes a new login), HOME, USER and a plain PATH, no XDG_RUNTIME_DIR (no logind here), plus <paramref name="env"/>.
    /// </summary>
    public Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null, string? workingDirectory = null, TimeSpan? timeout = null, bool newLogin = false)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = Path_, ["HOME"] = Home, ["USER"] = Name, ["LOGNAME"] = Name };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
        {
            vars["DOTNET_ROOT"] = dotnetRoot;
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
        {
            if (v is null)
            {
                vars.Remove(k);
            }
            else
            {
                vars[k] = v;
            }
        }

        // A new login reads the groups afresh (runuser, like login, calls initgroups); an old shell keeps the ones it had.
        List<string> wrapper = newLogin
            ? ["runuser", "-u", Name, "--"]
            : ["setpriv", $"--reuid={Uid}", $"--regid={Gid}", $"--groups={Gid}", "--"];
        return ProcessRunner.RunAsync(
            wrapper[0],
            [.. wrapper.Skip(1), "env", "-i", .. vars.Select(kv => $"{kv.Key}={kv.Value}"), file, .. args],
            workingDirectory: workingDirectory ?? Home,
            timeout: timeout ?? TimeSpan.FromMinutes(3));
    }

    /// <summary>The uid owning <paramref name="path"/>.</summary>
    public static async Task<int> OwnerOfAsync(string path) =>
        int.Parse((await ProcessRunner.RunAsync("stat", ["-c", "%u", path])).ShouldSucceed().Stdout.Trim(), CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        // Its podman services and pause process outlive every command: end them by pid, then remove the user.
        var pids = (await ProcessRunner.RunAsync("ps", ["-o", "pid=", "-u", Uid.ToString(CultureInfo.InvariantCulture)])).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (pids.Length > 0)
        {
            await ProcessRunner.RunAsync("kill", ["-KILL", .. pids]);
        }

        await ProcessRunner.RunAsync("userdel", ["--remove", "--force", Name]);
        await ProcessRunner.RunAsync("rm", ["-rf", RuntimeDir, Home, SudoersFile, $"/tmp/airlock-{Uid}"]);
        foreach (var file in new[] { "/etc/subuid", "/etc/subgid" })
        {
            await ProcessRunner.RunAsync("sed", ["-i", $"/^{Name}:/d", file]);
        }
    }
}
