using System.Security.Cryptography;
using System.Text;
using Airlock.Server.Secrets;

namespace Airlock.Server.Tests.Secrets;

/// <summary>
/// The server's secrets key: what it seals opens only with the same key and for the same owner, and a key file is
/// refused unless it is the server user's own regular file that nobody else can read.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretsKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("airlock-secrets-key-").FullName;

    [Fact]
    public void A_sealed_value_opens_with_its_key_and_owner_only_and_never_holds_the_value_in_clear()
    {
        var key = SecretsKey.New();
        var owner = SealedOwner.TenantSecret("acme", "OPENAI_API_KEY");

        var first = key.Seal("sk-live-123"u8, owner);
        var second = key.Seal("sk-live-123"u8, owner);

        first.ShouldNotBe(second, "each value gets a nonce of its own");
        first.ShouldNotContain("sk-live-123");
        Encoding.UTF8.GetString(key.Open(first, owner)).ShouldBe("sk-live-123");
        Should.Throw<CryptographicException>(() => key.Open(first, SealedOwner.TenantSecret("other", "OPENAI_API_KEY")));
        Should.Throw<CryptographicException>(() => key.Open(first, SealedOwner.TenantSecret("acme", "GH_TOKEN")));
        Should.Throw<CryptographicException>(() => SecretsKey.New().Open(first, owner));
        var tampered = first[..^4] + (first[^4] == 'A' ? 'B' : 'A') + first[^3..];
        Should.Throw<CryptographicException>(() => key.Open(tampered, owner));
    }

    [Fact]
    public void The_key_id_names_a_key_without_revealing_it()
    {
        var key = SecretsKey.New();
        var again = SecretsKey.Parse(key.Encoded, out var problem);

        problem.ShouldBeNull();
        again!.Id.ShouldBe(key.Id);
        key.Id.Length.ShouldBe(16);
        key.Encoded.ShouldNotContain(key.Id);
        SecretsKey.New().Id.ShouldNotBe(key.Id);
        key.ToString().ShouldNotContain(key.Encoded);
        SecretsKey.Parse("bm90IDMyIGJ5dGVz", out problem).ShouldBeNull();
        problem.ShouldNotBeNull().ShouldContain("holds 12 bytes");
        SecretsKey.Parse("%%%", out problem).ShouldBeNull();
        problem.ShouldBe("is not base64");
    }

    [Fact]
    public async Task A_missing_key_file_is_made_0600_and_read_back_the_same()
    {
        var path = Path.Combine(_dir, "state", "secrets-key");

        var (made, created) = await SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(path), Ct);
        var (read, again) = await SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(path), Ct);

        (created, again).ShouldBe((true, false));
        read.Id.ShouldBe(made.Id);
        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.GetFiles(Path.GetDirectoryName(path)!).ShouldBe([path], "no temporary file is left behind");
    }

    [Fact]
    public async Task A_key_file_others_can_read_a_link_or_a_missing_previous_key_is_refused_saying_how_to_fix_it()
    {
        var path = Path.Combine(_dir, "secrets-key");
        await SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(path), Ct);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var wide = await Should.ThrowAsync<SecretsKeyException>(() => SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(path), Ct));
        wide.Message.ShouldContain($"the secrets key file {path} has mode 0644: others may have read the key");
        wide.HowToFix.ShouldContain($"chmod 600 {path}");

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (Airlock.Sandboxes.Files.FileOwnership.CurrentUserId == 0)
        {
            // Root can hand the file to another user, as a key file copied in by the wrong account would be.
            await ProcessRunner.RunAsync("chown", ["65534", path]);
            var foreign = await Should.ThrowAsync<SecretsKeyException>(() => SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(path), Ct));
            foreign.Message.ShouldContain("belongs to user id 65534, not to the user running airlock serve (0)");
            await ProcessRunner.RunAsync("chown", ["0", path]);
        }

        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, path);
        (await Should.ThrowAsync<SecretsKeyException>(() => SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(link), Ct))).Message.ShouldContain("is a symbolic link");

        var missing = Path.Combine(_dir, "old-key");
        (await Should.ThrowAsync<SecretsKeyException>(() => SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(missing, mayCreate: false), Ct))).Message.ShouldContain("does not exist");
        File.Exists(missing).ShouldBeFalse();

        await File.WriteAllTextAsync(path, "# comment\nnot-base64!\n", Ct);
        (await Should.ThrowAsync<SecretsKeyException>(() => SecretsKeyFile.LoadAsync(SecretsKeySource.FromFile(path), Ct))).Message.ShouldContain($"{path}:2: the key is not base64");

        var text = await Should.ThrowAsync<SecretsKeyException>(() => SecretsKeyFile.LoadAsync(SecretsKeySource.FromText("c2hvcnQ="), Ct));
        text.Message.ShouldStartWith("AIRLOCK_SECRETS_KEY holds 5 bytes");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
