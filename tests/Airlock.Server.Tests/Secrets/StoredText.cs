using System.Text;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Secrets;

/// <summary>
/// Everything a database holds, as text to search: a SQLite database's file with its WAL and shared-memory files, byte
/// for byte; a PostgreSQL schema through pg_dump (rows and all).
/// </summary>
public static class StoredText
{
    public static async Task<string> DumpAsync(TestDatabase database)
    {
        if (database.Target.SqlitePath is { } path)
        {
            var text = new StringBuilder();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
            {
                // Read while the server may hold it open: shared, never locking it.
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var memory = new MemoryStream();
                await stream.CopyToAsync(memory, Ct);
                text.Append(Encoding.Latin1.GetString(memory.ToArray()));
            }

            return text.ToString();
        }

        var url = new Uri(database.Url);
        var schema = url.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("schema=", StringComparison.Ordinal))["schema=".Length..];
        var result = await ProcessRunner.RunAsync("pg_dump", ["--schema", schema, "--data-only", url.GetLeftPart(UriPartial.Path)]);
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("tenant_secrets", Case.Sensitive, "the dump holds the secrets' table");
        return result.Stdout;
    }
}
