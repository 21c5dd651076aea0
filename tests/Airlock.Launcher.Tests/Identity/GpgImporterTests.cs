using Airlock.Launcher.Identity;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Identity;

public sealed class GpgImporterTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TempDirectory _dir = new();

    [Fact]
    public void The_keyring_trust_database_and_private_keys_are_copied_into_the_namespace_home()
    {
        _dir.Write("host/.gnupg/pubring.kbx", "pubring");
        _dir.Write("host/.gnupg/trustdb.gpg", "trustdb");
        _dir.Write("host/.gnupg/private-keys-v1.d/ABC.key", "secret");
        _dir.Write("host/.gnupg/gpg-agent.conf", "pinentry-program /usr/bin/pinentry-gnome3");
        _dir.Write("host/.gnupg/openpgp-revocs.d/ABC.rev", "revocation");
        var home = _dir.CreateDirectory("ns-home");

        GpgImporter.Import(_dir.Combine("host", ".gnupg"), home);

        var gnupg = Path.Combine(home, ".gnupg");
        File.ReadAllText(Path.Combine(gnupg, "pubring.kbx")).ShouldBe("pubring");
        File.ReadAllText(Path.Combine(gnupg, "trustdb.gpg")).ShouldBe("trustdb");
        File.ReadAllText(Path.Combine(gnupg, "private-keys-v1.d", "ABC.key")).ShouldBe("secret");
        Directory.EnumerateFileSystemEntries(gnupg).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            .ShouldBe(["private-keys-v1.d", "pubring.kbx", "trustdb.gpg"], "agent config, sockets and revocations stay on the host");
        File.GetUnixFileMode(gnupg).ShouldBe(OwnerOnly);
        File.GetUnixFileMode(Path.Combine(gnupg, "private-keys-v1.d")).ShouldBe(OwnerOnly);
    }

    [Fact]
    public void A_second_import_overwrites_the_previous_copy()
    {
        _dir.Write("host/.gnupg/pubring.kbx", "old");
        var home = _dir.CreateDirectory("ns-home");
        GpgImporter.Import(_dir.Combine("host", ".gnupg"), home);
        _dir.Write("host/.gnupg/pubring.kbx", "new");

        GpgImporter.Import(_dir.Combine("host", ".gnupg"), home);

        File.ReadAllText(Path.Combine(home, ".gnupg", "pubring.kbx")).ShouldBe("new");
    }

    [Fact]
    public void A_host_without_gnupg_dir_is_refused_with_how_to_make_keys()
    {
        var missing = _dir.Combine("host", ".gnupg");

        var ex = Should.Throw<LauncherException>(() => GpgImporter.Import(missing, _dir.CreateDirectory("ns-home")));

        ex.Message.ShouldBe($"--gpg: {missing} does not exist, so there are no keys to import. Create keys with gpg --full-generate-key first");
        Directory.Exists(_dir.Combine("ns-home", ".gnupg")).ShouldBeFalse();
    }

    public void Dispose() => _dir.Dispose();
}
