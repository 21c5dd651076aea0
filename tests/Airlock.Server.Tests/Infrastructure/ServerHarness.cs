using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Airlock.Engine;
using Airlock.Server.RateLimiting;
using Airlock.Server.Tenants;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>
/// A real <c>airlock serve</c> in the test process: Kestrel on 127.0.0.1 with a free port, a database of the test's own
/// and a real engine. Everything is reached through HTTP. Containers it made carry the run's and the case's labels;
/// disposal removes any a test left (pass or fail) and the database.
/// </summary>
public sealed class ServerHarness : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private ServerHarness(AirlockServer server, ServerOptions options, TestDatabase database, EngineClient engine, string caseId, string bootstrapKey, string dir)
    {
        Options = options;
        Server = server;
        Database = database;
        Engine = engine;
        CaseId = caseId;
        BootstrapKey = bootstrapKey;
        Dir = dir;
        Admin = Client(bootstrapKey);
    }

    public AirlockServer Server { get; }

    /// <summary>The options the server was started with (a second server on the same database and directories starts with them).</summary>
    public ServerOptions Options { get; }

    public TestDatabase Database { get; }

    /// <summary>A client of the same engine the server uses, to check what really exists there.</summary>
    public EngineClient Engine { get; }

    public string CaseId { get; }

    public string CaseFilter => $"{TestEngines.CaseLabel}={CaseId}";

    public string BootstrapKey { get; }

    public string Dir { get; }

    /// <summary>The system admin (bootstrap key).</summary>
    public HttpClient Admin { get; }

    /// <summary>A tier for rate-limit tests: 3 requests, then one more a minute.</summary>
    public static readonly RateLimitTier Tiny = new(1.0 / 60, 3, 1.0 / 60, 100);

    /// <summary>Keys unlimited in practice, the tenant as a whole 3 requests, then one more a minute.</summary>
    public static readonly RateLimitTier TinyTenant = new(1000, 1000, 1.0 / 60, 3);

    /// <param name="configure">Changes to the options (several nodes, a placement strategy); the run's labels stay.</param>
    /// <param name="database">A database prepared by the test (the harness disposes it); a fresh one of <paramref name="store"/> when null.</param>
    /// <param name="logging">How the server logs (default: warnings, and nothing of Airlock's own below critical).</param>
    public static async Task<ServerHarness> StartAsync(
        string store = Stores.Sqlite,
        string engine = TestEngines.Docker,
        long? maxBody = null,
        TimeProvider? time = null,
        Func<ServerOptions, ServerOptions>? configure = null,
        TestDatabase? database = null,
        Action<ILoggingBuilder>? logging = null)
    {
        database ??= await TestDatabase.CreateAsync(store);
        var caseId = Guid.NewGuid().ToString("N")[..12];
        var dir = Path.Combine(Path.GetTempPath(), "airlock-serve-test-" + caseId);
        Directory.CreateDirectory(dir);
        var tiers = new Dictionary<string, RateLimitTier>(RateLimitTier.Defaults) { ["tiny"] = Tiny, ["tiny-tenant"] = TinyTenant };
        var options = new ServerOptions
        {
            Listen = "http://127.0.0.1:0",
            Database = database.Target,
            Engine = TestEngines.Endpoint(engine),
            BootstrapKeyFile = Path.Combine(dir, "bootstrap-key"),
            Tiers = tiers,
            // The default tier is not limited here, so tests that are not about rate limits never meet one.
            DefaultTier = "unlimited",
            MaxRequestBodyBytes = maxBody ?? 64 * 1024,
            Time = time ?? TimeProvider.System,
            ExtraLabels = new Dictionary<string, string> { [TestEngines.RunLabel] = TestEngines.RunId, [TestEngines.CaseLabel] = caseId },
            // The server user's templates are the test's own (Dir/airlock/templates), never the machine's.
            TemplatePaths = new Airlock.Sandboxes.Paths.AirlockPaths(Path.Combine(dir, "airlock"), dir),
            // The egress proxies' sockets in the test's own directory (short enough for a socket path), never the machine's.
            RuntimeDirectory = Path.Combine(dir, "run"),
        };
        options = configure?.Invoke(options) ?? options;
        var server = await AirlockServer.StartAsync(options, logging ?? (l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Airlock", LogLevel.Critical)));
        var key = (await File.ReadAllTextAsync(options.BootstrapKeyFile)).Trim();
        var engineClient = await TestEngines.ConnectAsync(engine);
        return new ServerHarness(server, options, database, engineClient, caseId, key, dir);
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(120) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _clients.Add(client);
        return client;
    }

    /// <summary>A tenant with one key per role.</summary>
    public async Task<TestTenant> NewTenantAsync(string id, long maxSandboxes = 10, double maxCpus = 16, long maxMemoryBytes = 64L << 30, string? tier = null)
    {
        var created = await Admin.PostAsJsonAsync("/v1/tenants", new
        {
            id,
            tier,
            quota = new { maxSandboxes, maxCpus, maxMemoryBytes },
        });
        await Expect.StatusAsync(created, 201);
        var keys = new Dictionary<string, string>();
        foreach (var role in new[] { "admin", "operator", "viewer" })
        {
            var response = await Admin.PostAsJsonAsync($"/v1/tenants/{id}/keys", new { name = role, role });
            var body = await Expect.JsonAsync(response, 201);
            keys[role] = body["key"]!.GetValue<string>();
        }

        return new TestTenant(id, Client(keys["admin"]), Client(keys["operator"]), Client(keys["viewer"]), keys);
    }

    /// <summary>The containers of this test that exist in the engine now.</summary>
    public async Task<IReadOnlyList<string>> ContainerNamesAsync() =>
        (await Engine.Containers.ListAsync([CaseFilter], ct: CancellationToken.None)).Select(c => c.Name).ToList();

    /// <summary>A create body at <paramref name="isolation"/> (container, gvisor), otherwise as <see cref="Sandbox(string, string[])"/>.</summary>
    public static object SandboxAt(string name, string isolation, params string[] command) => new
    {
        name,
        image = TestEngines.BaseImage,
        command = command.Length == 0 ? ["sleep", "infinity"] : command,
        limits = new { cpus = 0.25, memoryBytes = 64L * 1024 * 1024 },
        isolation,
    };

    /// <summary>A create body with <paramref name="network"/> (a string or an object), otherwise as <see cref="Sandbox(string, string[])"/>.</summary>
    public static object SandboxOn(string name, object network, params string[] command) => new
    {
        name,
        image = TestEngines.BaseImage,
        command = command.Length == 0 ? ["sleep", "infinity"] : command,
        limits = new { cpus = 0.25, memoryBytes = 64L * 1024 * 1024 },
        network,
    };

    /// <summary>Runs <paramref name="command"/> in the sandbox through the API; its stdout.</summary>
    public static async Task<string> ExecAsync(HttpClient client, string id, params string[] command) =>
        (await Expect.JsonAsync(await client.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command }), 200))["stdout"]!.GetValue<string>();

    public static object Sandbox(string name, params string[] command) => new
    {
        name,
        image = TestEngines.BaseImage,
        command = command.Length == 0 ? ["sleep", "infinity"] : command,
        limits = new { cpus = 0.25, memoryBytes = 64L * 1024 * 1024 },
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();

        // A container whose sandbox row is gone is an orphan the server left behind: a bug, reported as a failure.
        // Containers of sandboxes the test simply did not delete are removed quietly. Both engines: a test may have run
        // several nodes. Containers first, then the snapshot images they used.
        var orphans = new List<string>();
        try
        {
            await using var connection = await Database.Database.OpenAsync(CancellationToken.None);
            var rows = (await Dapper.SqlMapper.QueryAsync<string>(connection, "SELECT id FROM sandboxes")).ToHashSet(StringComparer.Ordinal);
            foreach (var name in new[] { TestEngines.Podman, TestEngines.Docker })
            {
                using var engine = await TestEngines.ConnectAsync(name);
                foreach (var container in await engine.Containers.ListAsync([CaseFilter], ct: CancellationToken.None))
                {
                    var sandbox = container.Labels?.GetValueOrDefault("io.airlock.sandbox");
                    if (sandbox is null || !rows.Contains(sandbox))
                    {
                        orphans.Add($"{container.Name} on {name} (sandbox {sandbox ?? "?"})");
                    }

                    await engine.Containers.RemoveIfExistsAsync(container.Id, CancellationToken.None);
                }

                foreach (var image in await engine.Images.ListAsync([CaseFilter], ct: CancellationToken.None))
                {
                    await engine.Images.RemoveIfExistsAsync(image.Id, force: true, CancellationToken.None);
                }
            }
        }
        finally
        {
            Engine.Dispose();
            await Database.DisposeAsync();
            Directory.Delete(Dir, recursive: true);
        }

        if (orphans.Count > 0)
        {
            throw new InvalidOperationException($"the server left {orphans.Count} container(s) without a sandbox row (now removed): {string.Join(", ", orphans)}");
        }
    }
}

public sealed record TestTenant(string Id, HttpClient Admin, HttpClient Operator, HttpClient Viewer, IReadOnlyDictionary<string, string> Keys);

/// <summary>Assertions on HTTP answers that show the body when the status is not the one expected.</summary>
public static class Expect
{
    public static async Task StatusAsync(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {status}, got {(int)response.StatusCode}: {body}");
        }
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, int status)
    {
        await StatusAsync(response, status);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>A problem-details answer with <paramref name="status"/>; returns its detail for further checks.</summary>
    public static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status)
    {
        await StatusAsync(response, status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["status"]!.GetValue<int>().ShouldBe(status);
        problem["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        return problem;
    }

    public static StringContent RawJson(string text) => new(text, System.Text.Encoding.UTF8, "application/json");

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
