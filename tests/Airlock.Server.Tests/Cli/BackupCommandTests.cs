using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;
using Airlock.Tests.Support;

namespace Airlock.Server.Tests.Cli;

/// <summary>
/// Issue 16, item 4: <c>airlock backup</c> copies a running server's SQLite store consistently, and the copy restores:
/// a server started on it has what was there at the backup (tenants, keys) and nothing that came after.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupCommandTests
{
    [Fact(Timeout = 180_000)]
    public async Task A_backup_taken_while_the_server_runs_restores_what_was_there_at_that_moment()
    {
        using var dir = new TempDirectory("airlock-backup-");
        var copy = dir.Combine("copy.db");
        string adminKey, kept, keptOperator, later;
        await using (var server = await ServeProcess.StartAsync())
        {
            (kept, keptOperator, _) = await server.NewTenantWithKeysAsync("kept");

            var backup = JsonNode.Parse(await ServeProcess.Ok(server.RunAsync(null, "backup", "--database", server.Database, "--to", copy, "--json")))!;

            backup["destination"]!.GetValue<string>().ShouldBe(copy);
            backup["tenants"]!.GetValue<long>().ShouldBe(1);
            (File.GetUnixFileMode(copy) & (UnixFileMode)0x3F).ShouldBe((UnixFileMode)0, "the copy holds key hashes and sealed secrets: no group or other access");
            Directory.GetFiles(dir.Path).ShouldBe([copy], "one file is the whole backup: no log or partial file beside it");
            (later, _, _) = await server.NewTenantWithKeysAsync("later");
            adminKey = server.BootstrapKey;
            File.Copy(Path.Combine(server.Home.FullName, "server", "secrets-key"), dir.Combine("secrets-key"));
        }

        await using var restored = await ServeProcess.StartAsync(database: copy, bootstrapKey: adminKey, secretsKeyFile: dir.Combine("secrets-key"));

        var tenants = JsonNode.Parse(await ServeProcess.Ok(restored.RunAsync(adminKey, "tenant", "list", "--json")))!.AsArray().Select(t => t!["id"]!.GetValue<string>()).ToList();
        tenants.ShouldContain(kept);
        tenants.ShouldNotContain(later);
        (await ServeProcess.Ok(restored.RunAsync(keptOperator, "sandbox", "list", "--json"))).Trim().ShouldBe("[]", "the tenant's own key still works on the restored server");
        (await ServeProcess.Ok(restored.RunAsync(adminKey, "audit", "verify", "--database", copy))).ShouldContain("intact");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_backup_that_cannot_be_made_says_why_and_leaves_everything_as_it_was()
    {
        using var dir = new TempDirectory("airlock-backup-");
        await using var server = await ServeProcess.StartAsync();
        var existing = dir.Write("existing.db", "not to be overwritten");

        var exists = await server.RunAsync(null, "backup", "--database", server.Database, "--to", existing);
        exists.Code.ShouldBe(2);
        exists.Stderr.ShouldContain("exists already");
        exists.Stderr.ShouldContain("--force");
        (await File.ReadAllTextAsync(existing, Ct)).ShouldBe("not to be overwritten");

        var postgres = await server.RunAsync(null, "backup", "--database", "postgres://airlock:secret@127.0.0.1:1/airlock", "--to", dir.Combine("pg.db"));
        postgres.Code.ShouldBe(2);
        postgres.Stderr.ShouldContain("pg_dump");
        postgres.Stderr.ShouldNotContain("secret", Case.Sensitive);

        var missing = dir.Combine("no-such", "airlock.db");
        var none = await server.RunAsync(null, "backup", "--database", dir.Combine("nothing.db"), "--to", dir.Combine("copy.db"));
        none.Code.ShouldBe(2);
        none.Stderr.ShouldContain("there is no database at");
        File.Exists(dir.Combine("nothing.db")).ShouldBeFalse("a backup never creates the database it was asked to copy");

        var noDirectory = await server.RunAsync(null, "backup", "--database", server.Database, "--to", missing);
        noDirectory.Code.ShouldBe(2);
        noDirectory.Stderr.ShouldContain("does not exist");

        Directory.GetFiles(dir.Path).ShouldBe([existing]);
    }
}
