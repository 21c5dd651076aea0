using Airlock.Sandboxes.Files;

namespace Airlock.Launcher.Identity;

/// <summary>
/// With <c>--gpg</c>, copies the host's public keyring, trust database and private keys into the namespace home's
/// ~/.gnupg before launch, so git can sign inside. The host's ~/.gnupg is only read; nothing flows back. The namespace
/// home is the sandbox's to write, so every write there goes through <see cref="ConfinedDirectory"/>: a link a sandbox
/// planted (~/.gnupg/pubring.kbx -> /etc/shadow, ~/.gnupg -> /) is replaced or refused, never written or chmod'ed through.
/// </summary>
public static class GpgImporter
{
    private const string Target = ".gnupg";
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] Items = ["pubring.kbx", "trustdb.gpg", "private-keys-v1.d"];

    public static void Import(string hostGnupg, string namespaceHome)
    {
        if (!Directory.Exists(hostGnupg))
        {
            throw new LauncherException($"--gpg: {hostGnupg} does not exist, so there are no keys to import. Create keys with gpg --full-generate-key first");
        }

        var home = new ConfinedDirectory(namespaceHome, "the namespace home");
        // gpg refuses key directories others can read.
        home.CreateDirectory(Target, OwnerOnlyDirectory);
        home.SetMode(Target, OwnerOnlyDirectory);
        foreach (var item in Items)
        {
            var source = Path.Combine(hostGnupg, item);
            if (File.Exists(source))
            {
                Copy(home, source, $"{Target}/{item}");
            }
            else if (Directory.Exists(source))
            {
                var dir = $"{Target}/{item}";
                home.CreateDirectory(dir, OwnerOnlyDirectory);
                home.SetMode(dir, OwnerOnlyDirectory);
                foreach (var file in Directory.EnumerateFiles(source))
                {
                    Copy(home, file, $"{dir}/{Path.GetFileName(file)}");
                }
            }
        }
    }

    /// <summary>Keys and keyrings are written owner-only, whatever the host file's mode: the home is shared with the sandbox only.</summary>
    private static void Copy(ConfinedDirectory home, string source, string relative)
    {
        using var input = File.OpenRead(source);
        home.WriteFile(relative, OwnerOnlyFile, input.CopyTo, keepExistingMode: false);
    }
}
