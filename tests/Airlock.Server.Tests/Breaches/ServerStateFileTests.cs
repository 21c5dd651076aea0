using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using Airlock.Server.Auth;
using Airlock.Server.Store.Migrations;
using Airlock.Server.Tests.Infrastructure;
using Dapper;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// Issue 10, item 3: the server's database (with its WAL) and the token signing key were readable by every local user,
/// who forged a system admin token from them. Server state is 0700/0600, checked on disk and by reading it as another
/// user; the signing key lives in its own file, and a database from before that is migrated on start.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ServerStateFileTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact(Timeout = 90_000)]
    public async Task The_database_its_wal_the_signing_key_and_the_secrets_key_are_0600_and_another_local_user_cannot_read_them()
    {
        await using var server = await ServerHarness.StartAsync();
        await server.NewTenantAsync("acme");
        var db = server.Database.Target.SqlitePath!;
        string[] files = [db, db + "-wal", db + "-shm", Path.Combine(server.Dir, "signing-key"), Path.Combine(server.Dir, "secrets-key"), server.Server.BootstrapKeyFile!];
        // The -wal and -shm files exist only while a connection is open, and the server may have closed all of its own by
        // now (it did once in CI): one held here keeps them there, made by SQLite with the mode the server gave the database.
        await using var held = await server.Database.Database.OpenAsync(Ct);
        await held.ExecuteAsync("SELECT count(*) FROM tenants");

        foreach (var file in files)
        {
            File.Exists(file).ShouldBeTrue(file);
            File.GetUnixFileMode(file).ShouldBe(Private, file);
            (await RunAsNobodyAsync("cat", file)).ShouldNotBe(0, $"another local user read {file}");
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task Serve_makes_its_default_state_directory_0700_and_tightens_one_left_open_by_an_older_airlock()
    {
        var home = Directory.CreateTempSubdirectory("airlock-serve-state-");
        try
        {
            // An older airlock left the directory 0755 and the database 0644.
            var serverDir = Directory.CreateDirectory(Path.Combine(home.FullName, "server"));
            File.SetUnixFileMode(serverDir.FullName, PrivateDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            using (var serve = ServeProcessHandle.Start(home.FullName, "--listen", "http://127.0.0.1:0", "--engine", "docker"))
            {
                var address = await serve.ListeningAsync();
                var key = (await File.ReadAllTextAsync(Path.Combine(serverDir.FullName, "bootstrap-key"), Ct)).Trim();
                using var client = new HttpClient { BaseAddress = address };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                await Expect.StatusAsync(await client.PostAsJsonAsync("/v1/tenants", new { id = "acme" }, Ct), 201);

                File.GetUnixFileMode(serverDir.FullName).ShouldBe(PrivateDirectory);
                foreach (var name in new[] { "airlock.db", "airlock.db-wal", "airlock.db-shm", "signing-key", "secrets-key", "bootstrap-key" })
                {
                    File.GetUnixFileMode(Path.Combine(serverDir.FullName, name)).ShouldBe(Private, name);
                }

                await serve.KillHardAsync();
            }

            File.SetUnixFileMode(Path.Combine(serverDir.FullName, "airlock.db"), Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetUnixFileMode(serverDir.FullName, PrivateDirectory | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            using (var again = ServeProcessHandle.Start(home.FullName, "--listen", "http://127.0.0.1:0", "--engine", "docker"))
            {
                await again.ListeningAsync();
                File.GetUnixFileMode(serverDir.FullName).ShouldBe(PrivateDirectory);
                File.GetUnixFileMode(Path.Combine(serverDir.FullName, "airlock.db")).ShouldBe(Private);
                await again.KillHardAsync();
            }
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task A_server_on_a_database_with_the_key_inside_moves_it_out_retires_it_and_keeps_working(string store)
    {
        // A database as the previous airlock left it: schema 2, the signing key in server_settings, a tenant with a key.
        var old = await TestDatabase.CreateAsync(store);
        var oldKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var (keyId, apiKey, hash) = ApiKeySecret.Generate();
        await using (var connection = await old.Database.OpenAsync(Ct))
        {
            await connection.ExecuteAsync("CREATE TABLE schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            foreach (var migration in Migrator.All.Where(m => m.Version <= 2))
            {
                await connection.ExecuteAsync(migration.Up);
                await connection.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (@Version, @Name, 0)", new { migration.Version, migration.Name });
            }

            await connection.ExecuteAsync("INSERT INTO server_settings (name, value) VALUES ('jwt-signing-key', @value)", new { value = Convert.ToBase64String(oldKey) });
            await connection.ExecuteAsync(
                "INSERT INTO tenants (id, display_name, tier, max_sandboxes, max_cpu_millis, max_memory_bytes, created_at) VALUES ('acme', 'acme', 'unlimited', 1, 1000, 1073741824, 0)");
            await connection.ExecuteAsync(
                "INSERT INTO api_keys (id, tenant_id, role, name, secret_hash, created_at) VALUES (@keyId, 'acme', 'admin', 'old', @hash, 0)", new { keyId, hash });
        }

        if (old.Target.SqlitePath is { } path)
        {
            File.SetUnixFileMode(path, Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        await using var server = await ServerHarness.StartAsync(store, database: old);

        await using (var connection = await old.Database.OpenAsync(Ct))
        {
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM server_settings WHERE name = 'jwt-signing-key'")).ShouldBe(0);
        }

        var keyFile = Path.Combine(server.Dir, "signing-key");
        File.GetUnixFileMode(keyFile).ShouldBe(Private);
        if (old.Target.SqlitePath is { } migrated)
        {
            File.GetUnixFileMode(migrated).ShouldBe(Private);
        }

        // The old key was readable by anyone: it is retired, not reused. A token signed with it is refused.
        var client = server.Client(apiKey);
        var minted = (await Expect.JsonAsync(await client.PostAsJsonAsync("/v1/tokens", new { }, Ct), 201))["token"]!.GetValue<string>();
        var now = TokenForgery.Now;
        var forged = TokenForgery.Sign(oldKey, TokenForgery.HeaderOf(minted), TokenForgery.Claims(keyId, "admin", "acme", now, now + 600));
        await Expect.ProblemAsync(await server.Client(forged).GetAsync("/v1/tenants/acme", Ct), 401);

        // The tenant, its key and new tokens work as before.
        await Expect.StatusAsync(await client.GetAsync("/v1/tenants/acme", Ct), 200);
        await Expect.StatusAsync(await server.Client(minted).GetAsync("/v1/tenants/acme", Ct), 200);
    }

    private static async Task<int> RunAsNobodyAsync(params string[] command)
    {
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--" }.Concat(command))
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        await process.StandardOutput.ReadToEndAsync(Ct);
        await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return process.ExitCode;
    }
}
