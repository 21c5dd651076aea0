using Airlock.Server.Store;

namespace Airlock.Server.Auth;

/// <summary>
/// The way in on a fresh database: when no system admin key is active, one is made and written to a file only its
/// owner can read (0600). The key is never printed or logged; the server says where the file is.
/// </summary>
public static class BootstrapKey
{
    /// <summary>Makes the key if needed; returns the file written, or null when a system admin already exists.</summary>
    public static async Task<string?> EnsureAsync(ApiKeyStore keys, string path, CancellationToken ct)
    {
        if (await keys.AnySystemAdminAsync(ct))
        {
            return null;
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            PrivateFiles.CreateDirectory(dir);
        }

        var (_, key) = await keys.CreateAsync(null, Role.Admin, "bootstrap", ct);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with the mode, never chmod-ed after: no moment where another user could open it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteLineAsync(key);
        }

        return path;
    }
}
