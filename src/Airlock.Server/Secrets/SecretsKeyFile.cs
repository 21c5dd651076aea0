using Airlock.Sandboxes.Files;
using Airlock.Server.Store;

namespace Airlock.Server.Secrets;

/// <summary>
/// Reads the secrets key from its <see cref="SecretsKeySource"/>. A key file must be a regular file (not a link) owned by
/// the user running the server and readable by nobody else (0600 or narrower): a key others could have read is refused,
/// not quietly narrowed, since whoever read it can decrypt a copy of the database. A missing file is made with a new key
/// (0600, in a 0700 directory when one has to be made), never overwriting a file another server made at the same moment.
/// </summary>
public static class SecretsKeyFile
{
    private const string Header =
        "# airlock serve secrets key: encrypts tenant secrets and sandbox authorities in the database. Keep it 0600, back it up,\n"
        + "# and never in the database's backups. Without it the stored secrets cannot be read. Rotation: docs/serve.md.\n";

    /// <summary>The key, and whether this call made the file.</summary>
    public static async Task<(SecretsKey Key, bool Created)> LoadAsync(SecretsKeySource source, CancellationToken ct)
    {
        if (source.Text is { } text)
        {
            return (SecretsKey.Parse(text, out var problem) ?? throw new SecretsKeyException(
                $"{source.Description} {problem}",
                $"set {source.Description} to 32 random bytes in base64 (head -c 32 /dev/urandom | base64), the same on every server of this database"), false);
        }

        var path = source.File!;
        try
        {
            var created = false;
            if (!OperatingSystem.IsWindows() && FileOwnership.Of(path) is null)
            {
                if (!source.MayCreate)
                {
                    throw new SecretsKeyException($"{source.Description} does not exist", "give the file that holds the key the database's secrets are encrypted with");
                }

                created = await CreateAsync(path, ct);
            }

            Check(source, path);
            return (Read(source, path), created);
        }
        catch (IOException ex)
        {
            throw new SecretsKeyException($"cannot use {source.Description}: {ex.Message}", "check the path, and that its directory belongs to the user running airlock serve");
        }
    }

    private static void Check(SecretsKeySource source, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var facts = FileOwnership.Of(path) ?? throw new SecretsKeyException($"{source.Description} does not exist", "give the path of the key file");
        if (facts.Kind != EntryKind.File)
        {
            throw new SecretsKeyException(
                $"{source.Description} is {(facts.Kind == EntryKind.Link ? "a symbolic link" : "not a regular file")}",
                "give the real file (a link could be swapped for another key)");
        }

        if (facts.OwnerId != FileOwnership.CurrentUserId)
        {
            throw new SecretsKeyException(
                $"{source.Description} belongs to user id {facts.OwnerId}, not to the user running airlock serve ({FileOwnership.CurrentUserId})",
                $"chown it to the server's user: chown $(id -u) {path}");
        }

        if ((facts.Permissions & ~PrivateFiles.OwnerOnlyFile) != 0)
        {
            throw new SecretsKeyException(
                $"{source.Description} has mode {Convert.ToString((int)facts.Permissions, 8).PadLeft(4, '0')}: others may have read the key",
                $"make it private (chmod 600 {path}); if someone else could have read it, rotate the key (docs/serve.md: rotating the secrets key)");
        }
    }

    private static SecretsKey Read(SecretsKeySource source, string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretsKeyException($"cannot read {source.Description}: {ex.Message}", "check the path, and that the file belongs to the user running airlock serve");
        }

        SecretsKey? key = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (key is not null)
            {
                throw new SecretsKeyException($"{path}:{i + 1}: a second key; the file holds one", "keep the one key line (an old key goes in --secrets-previous-key-file while rotating)");
            }

            key = SecretsKey.Parse(line, out var problem) ?? throw new SecretsKeyException($"{path}:{i + 1}: the key {problem}", "the file holds one line of 32 random bytes in base64");
        }

        return key ?? throw new SecretsKeyException($"{source.Description} holds no key", "give the file that holds the key, or remove the empty file to have a new key made");
    }

    /// <summary>Writes a new key to <paramref name="path"/> unless another process made the file first; true when this one did.</summary>
    private static async Task<bool> CreateAsync(string path, CancellationToken ct)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await PrivateFiles.WriteAsync(temporary, Header + SecretsKey.New().Encoded + "\n", ct);
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SecretsKeyException($"cannot make the secrets key file {path}: {ex.Message}", "give --secrets-key-file a path in a directory the user running airlock serve owns");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
