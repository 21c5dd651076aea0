namespace Airlock.Launcher.Identity;

/// <summary>
/// With <c>--gpg</c>, copies the host's public keyring, trust database and private keys into the namespace home's
/// ~/.gnupg before launch, so git can sign inside. The host's ~/.gnupg is only read; nothing flows back.
/// </summary>
public static class GpgImporter
{
    private static readonly string[] Items = ["pubring.kbx", "trustdb.gpg", "private-keys-v1.d"];

    public static void Import(string hostGnupg, string namespaceHome)
    {
        if (!Directory.Exists(hostGnupg))
        {
            throw new LauncherException($"--gpg: {hostGnupg} does not exist, so there are no keys to import. Create keys with gpg --full-generate-key first");
        }

        var target = Path.Combine(namespaceHome, ".gnupg");
        Directory.CreateDirectory(target);
        PrivateDir(target);
        foreach (var item in Items)
        {
            var source = Path.Combine(hostGnupg, item);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(target, item), overwrite: true);
            }
            else if (Directory.Exists(source))
            {
                var dir = Path.Combine(target, item);
                Directory.CreateDirectory(dir);
                PrivateDir(dir);
                foreach (var file in Directory.EnumerateFiles(source))
                {
                    File.Copy(file, Path.Combine(dir, Path.GetFileName(file)), overwrite: true);
                }
            }
        }
    }

    /// <summary>gpg refuses key directories others can read.</summary>
    private static void PrivateDir(string dir)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
