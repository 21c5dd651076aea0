using System.Security.Cryptography;

namespace Airlock.Engine.Containers;

/// <summary>
/// Podman's copy of a seccomp profile: its compat API reads <c>seccomp=</c> as a path (inline JSON is a 500), and it
/// copies the profile into the container's config when creating it, so the file is needed only during the create.
/// </summary>
internal sealed class SeccompProfileFile : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string? _temporaryDirectory;

    private SeccompProfileFile(string path, string? temporaryDirectory)
    {
        Path = path;
        _temporaryDirectory = temporaryDirectory;
    }

    public string Path { get; }

    /// <summary>
    /// In <paramref name="directory"/> (made 0700 if missing) as one file per content, rewritten when it holds anything
    /// else; without a directory, in a new private temporary directory (mkdtemp: 0700, a name nobody could plant
    /// beforehand) that <see cref="Dispose"/> removes.
    /// </summary>
    public static SeccompProfileFile Write(string profile, string? directory)
    {
        if (directory is null)
        {
            var temporary = Directory.CreateTempSubdirectory("airlock-seccomp-").FullName;
            var path = System.IO.Path.Combine(temporary, "profile.json");
            File.WriteAllText(path, profile);
            return new SeccompProfileFile(path, temporary);
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, Private);
        }

        var name = "seccomp-" + ContentHash.Short(profile) + ".json";
        var file = System.IO.Path.Combine(directory, name);
        if (!HoldsExactly(file, profile))
        {
            // A temp file renamed over the old one: a concurrent create never reads half a profile.
            var temp = file + ".tmp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            File.WriteAllText(temp, profile);
            File.Move(temp, file, overwrite: true);
        }

        return new SeccompProfileFile(file, null);
    }

    private static bool HoldsExactly(string file, string profile)
    {
        var info = new FileInfo(file);
        return info.Exists && info.LinkTarget is null && File.ReadAllText(file) == profile;
    }

    public void Dispose()
    {
        if (_temporaryDirectory is not null)
        {
            try
            {
                Directory.Delete(_temporaryDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS's temp clean-up: the container is made either way.
            }
        }
    }
}
