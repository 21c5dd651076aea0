using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>The real <c>airlock serve</c>, <c>migrate</c> and <c>audit verify</c> binaries, as an operator runs them.</summary>
[SupportedOSPlatform("linux")]
public sealed partial class ServeCommandTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("airlock-serve-cli-");

    [Fact(Timeout = 90_000)]
    public async Task Serve_writes_a_private_bootstrap_key_answers_with_it_and_stops_cleanly_on_sigterm()
    {
        using var process = Process.Start(AirlockProcess.StartInfo(_home.FullName, "serve", "--listen", "http://127.0.0.1:0", "--engine", "docker"))!;
        try
        {
            var stderr = new List<string>();
            Uri? address = null;
            while (address is null && await process.StandardError.ReadLineAsync(Ct) is { } line)
            {
                stderr.Add(line);
                if (ListeningOn().Match(line) is { Success: true } m)
                {
                    address = new Uri(m.Groups[1].Value);
                }
            }

            address.ShouldNotBeNull(string.Join('\n', stderr));
            var keyFile = Path.Combine(_home.FullName, "server", "bootstrap-key");
            stderr.ShouldContain(l => l.Contains(keyFile, StringComparison.Ordinal));
            File.GetUnixFileMode(keyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var key = (await File.ReadAllTextAsync(keyFile, Ct)).Trim();
            stderr.ShouldNotContain(l => l.Contains(key, StringComparison.Ordinal));

            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await Expect.StatusAsync(await client.GetAsync("/v1/tenants", Ct), 200);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Ct);
            }

            var rest = await process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            process.ExitCode.ShouldBe(0, rest);
            rest.ShouldContain("stopped");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task Migrate_up_version_and_down_through_the_cli(string store)
    {
        await using var db = await TestDatabase.CreateAsync(store);

        (await AirlockProcess.RunAsync(_home.FullName, "migrate", "version", "--database", db.Url, "--json")).Stdout.ShouldContain("\"version\":0");
        var up = await AirlockProcess.RunAsync(_home.FullName, "migrate", "up", "--database", db.Url);
        up.Code.ShouldBe(0, up.Stderr);
        up.Stdout.ShouldContain("applied 0001 initial");
        (await AirlockProcess.RunAsync(_home.FullName, "migrate", "up", "--database", db.Url)).Stdout.ShouldContain("already at the latest");
        var down = await AirlockProcess.RunAsync(_home.FullName, "migrate", "down", "--database", db.Url, "--json");
        down.Code.ShouldBe(0, down.Stderr);
        down.Stdout.ShouldContain($"\"version\":{Airlock.Server.Store.Migrations.Migrator.Latest - 1}");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_database_url_airlock_cannot_use_is_exit_2_naming_the_accepted_forms()
    {
        var (code, _, stderr) = await AirlockProcess.RunAsync(_home.FullName, "migrate", "version", "--database", "mysql://root:hunter2@db/x");

        code.ShouldBe(2);
        stderr.ShouldContain("postgres://user:password@host");
        stderr.ShouldNotContain("hunter2");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unreachable_postgres_is_exit_3_saying_how_to_start_one()
    {
        var (code, _, stderr) = await AirlockProcess.RunAsync(_home.FullName, "audit", "verify", "--database", "postgres://airlock:secret@127.0.0.1:1/none");

        code.ShouldBe(3, stderr);
        stderr.ShouldContain("setup-postgres.sh");
        stderr.ShouldNotContain("secret");
    }

    [Fact(Timeout = 60_000)]
    public async Task Serve_with_a_taken_port_or_an_unknown_engine_is_exit_2_naming_the_flag()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var busy = await AirlockProcess.RunAsync(_home.FullName, "serve", "--listen", $"http://127.0.0.1:{port}", "--engine", "docker");
        busy.Code.ShouldBe(2, busy.Stderr);
        busy.Stderr.ShouldContain("address already in use");
        busy.Stderr.ShouldContain("--listen");
        busy.Stderr.ShouldNotContain("   at ");

        var engine = await AirlockProcess.RunAsync(_home.FullName, "serve", "--engine", "nosuch");
        engine.Code.ShouldBe(2, engine.Stderr);
        engine.Stderr.ShouldContain("--engine 'nosuch'");

        var listen = await AirlockProcess.RunAsync(_home.FullName, "serve", "--listen", "ftp://x");
        listen.Code.ShouldBe(2, listen.Stderr);
        listen.Stderr.ShouldContain("http://ADDRESS:PORT");
    }

    public void Dispose() => _home.Delete(recursive: true);

    [GeneratedRegex(@"listening on (http://\S+?),")]
    private static partial Regex ListeningOn();
}
