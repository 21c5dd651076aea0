using Dapper;

namespace Airlock.Server.Store;

/// <summary>Server-wide values kept in the database, so every server on it agrees (the server id). Never a secret: the database is not one.</summary>
public sealed class SettingsStore(Database database)
{
    /// <summary>The stored value of <paramref name="name"/>, created from <paramref name="create"/> by whichever server asks first.</summary>
    public async Task<string> GetOrCreateAsync(string name, Func<string> create, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO server_settings (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING",
            new { name, value = create() },
            cancellationToken: ct));
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT value FROM server_settings WHERE name = @name", new { name }, cancellationToken: ct)) ?? throw new InvalidOperationException($"setting {name} vanished");
    }
}
