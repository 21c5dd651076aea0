using Airlock.Server.Auth;
using Airlock.Server.Store;
using Airlock.Server.Tenants;
using Airlock.Server.Tests.Infrastructure;
using Dapper;

namespace Airlock.Server.Tests.Store;

public sealed class ApiKeyStoreTests
{
    [Theory]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_key_is_stored_only_as_a_hash_and_authenticates_until_revoked(string store)
    {
        await using var db = await TestDatabase.CreateMigratedAsync(store);
        await new TenantStore(db.Database, TimeProvider.System).CreateAsync("t", "t", "free", TenantQuota.Default, Ct);
        var keys = new ApiKeyStore(db.Database, TimeProvider.System);
        var (info, key) = await keys.CreateAsync("t", Role.Operator, "ci", Ct);

        await using (var connection = await db.Database.OpenAsync(Ct))
        {
            var stored = await connection.QuerySingleAsync<string>("SELECT secret_hash FROM api_keys WHERE id = @id", new { id = info.Id });
            key.ShouldNotContain(stored);
            var all = string.Join("|", await connection.QueryAsync<string>("SELECT id || name || secret_hash FROM api_keys"));
            // alk_<id>_<secret>: the secret is base64url, so it may itself contain '_'.
            all.ShouldNotContain(key.Split('_', 3)[2], Case.Sensitive);
        }

        var found = await keys.AuthenticateAsync(key, Ct);
        found.ShouldNotBeNull();
        found.Value.Key.Role.ShouldBe(Role.Operator);
        found.Value.Tier.ShouldBe("free");
        (await keys.AuthenticateAsync(key[..^1] + (key[^1] == 'A' ? 'B' : 'A'), Ct)).ShouldBeNull();

        (await keys.RevokeAsync("other", info.Id, Ct)).ShouldBeFalse();
        (await keys.RevokeAsync("t", info.Id, Ct)).ShouldBeTrue();
        (await keys.AuthenticateAsync(key, Ct)).ShouldBeNull();
    }
}
