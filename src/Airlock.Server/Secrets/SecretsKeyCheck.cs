using System.Security.Cryptography;
using Airlock.Server.Store;

namespace Airlock.Server.Secrets;

/// <summary>
/// At start, before anything is served: the database is bound to one secrets key (its id in <c>server_settings</c>,
/// recorded by the first start), and a server given another key refuses to start, saying which key the database needs
/// and how to rotate to the new one, rather than serving sandboxes whose secrets it cannot read. Rotation: started with
/// the new key and the previous one, the server re-encrypts every row under the new key (one transaction) and binds
/// the database to it.
/// </summary>
public static class SecretsKeyCheck
{
    /// <summary>Binds or checks the database's key; returns how many rows were re-encrypted from <paramref name="previous"/>.</summary>
    public static async Task<int> EnsureAsync(
        Database database, SecretsKey current, SecretsKeySource currentSource, SecretsKey? previous, SecretsKeySource? previousSource, CancellationToken ct)
    {
        var store = new SecretsKeyStore(database);
        var bound = await store.BindAsync(current.Id, ct);
        var reencrypted = 0;
        if (bound != current.Id)
        {
            if (previous is null || previous.Id != bound)
            {
                throw new SecretsKeyException(
                    $"{currentSource.Description} holds {current}, but this database's secrets are encrypted with secrets key {bound}"
                    + (previous is null ? "" : $" ({previousSource!.Description} holds {previous}, not that one either)"),
                    $"start with the key this database was using (--secrets-key-file, or {SecretsKeySource.Variable}, holding key {bound}; servers sharing a database share one key); "
                    + $"to move to this new key, start once with --secrets-previous-key-file naming the file that holds key {bound}; if that key is lost, see docs/serve.md (a lost secrets key)");
            }

            reencrypted = await ReencryptAsync(store, previous, current, previousSource!, ct);
        }
        else if (previous is not null && previous.Id != current.Id)
        {
            // A rotation that was done before (or a previous key given again): nothing left under it, or the rest now.
            reencrypted = await ReencryptAsync(store, previous, current, previousSource!, ct);
        }

        var stray = (await store.RowsByKeyAsync(ct)).Where(r => r.Key != current.Id).ToList();
        if (stray.Count > 0)
        {
            throw new SecretsKeyException(
                $"this database holds {stray.Sum(s => s.Value)} encrypted value(s) under another secrets key ({string.Join(", ", stray.Select(s => s.Key))}) than {currentSource.Description} ({current.Id})",
                "another server on this database has another key: give every server the same --secrets-key-file; to move them all to this key, start once with --secrets-previous-key-file naming the other key's file");
        }

        return reencrypted;
    }

    private static async Task<int> ReencryptAsync(SecretsKeyStore store, SecretsKey previous, SecretsKey current, SecretsKeySource previousSource, CancellationToken ct)
    {
        try
        {
            return await store.ReencryptAsync(previous, current, ct);
        }
        catch (CryptographicException ex)
        {
            throw new SecretsKeyException(
                $"a value sealed under {previous} ({previousSource.Description}) does not open: {ex.Message}; nothing was re-encrypted",
                "the database or that row was changed outside airlock; restore it from a backup, or delete that tenant secret and set it again");
        }
    }
}
