using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Airlock.Server.Nodes;
using Airlock.Server.Store;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Reconciliation;

/// <summary>
/// The real <c>airlock serve</c> killed with SIGKILL in the middle of 50 concurrent creates, then started again on the
/// same database: every create that was answered 201 exists exactly once (row and container), nothing else remains.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Creates = 50;

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("airlock-crash-");

    /// <summary>
    /// Two kill points: right after the first 201 (most creates have their container by then), and when the engine has
    /// made its fifth container (most creates have only their row): the reconciler's two ways of settling a cut create.
    /// </summary>
    public static TheoryData<string, string> KillPoints => new()
    {
        { Stores.Sqlite, FirstAcknowledged }, { Stores.Sqlite, FifthContainer }, { Stores.Postgres, FirstAcknowledged }, { Stores.Postgres, FifthContainer },
    };

    private const string FirstAcknowledged = "first-201";
    private const string FifthContainer = "fifth-container";

    [Theory(Timeout = 600_000)]
    [MemberData(nameof(KillPoints))]
    public async Task Every_acknowledged_create_exists_exactly_once_after_a_kill_9_and_a_restart(string store, string killPoint)
    {
        await using var db = await TestDatabase.CreateAsync(store);
        using var engine = await TestEngines.ConnectAsync(TestEngines.Docker);
        string[] args = ["--listen", "http://127.0.0.1:0", "--engine", "docker", "--database", db.Url, "--bootstrap-key-file", Path.Combine(_home.FullName, "key")];
        string? serverId = null;
        string? operatorKey = null;
        try
        {
            var acknowledged = new List<string>();
            using (var first = ServeProcessHandle.Start(_home.FullName, args))
            {
                var address = await first.ListeningAsync();
                serverId = await new SettingsStore(db.Database).GetOrCreateAsync(ServerIdentity.SettingName, () => "unused", Ct);
                using var admin = Client(address, (await File.ReadAllTextAsync(Path.Combine(_home.FullName, "key"), Ct)).Trim());
                await Expect.StatusAsync(await admin.PostAsJsonAsync("/v1/tenants", new { id = "acme", quota = new { maxSandboxes = 100, maxCpus = 64, maxMemoryBytes = 64L << 30 } }, Ct), 201);
                operatorKey = (await Expect.JsonAsync(await admin.PostAsJsonAsync("/v1/tenants/acme/keys", new { name = "ci", role = "operator" }, Ct), 201))["key"]!.GetValue<string>();
                using var op = Client(address, operatorKey);

                var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using var events = await engine.Events.SubscribeAsync(new Airlock.Engine.Events.EventFilter(Labels: [$"io.airlock.server={serverId}"], Types: ["container"], Actions: ["create"]), Ct);
                var watch = killPoint != FifthContainer ? Task.CompletedTask : Task.Run(async () =>
                {
                    var made = 0;
                    await foreach (var _ in events.ReadAsync(Ct))
                    {
                        if (++made == 5)
                        {
                            killed.TrySetResult();
                            return;
                        }
                    }
                }, Ct);
                var creates = Enumerable.Range(0, Creates).Select(async i =>
                {
                    try
                    {
                        using var response = await op.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox($"c{i}"), Ct);
                        if ((int)response.StatusCode == 201)
                        {
                            var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["id"]!.GetValue<string>();
                            lock (acknowledged)
                            {
                                acknowledged.Add(id);
                                if (acknowledged.Count == 1 && killPoint == FirstAcknowledged)
                                {
                                    killed.TrySetResult();
                                }
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // The server died under this request: not acknowledged.
                    }
                }).ToList();

                await Task.WhenAny(killed.Task, Task.WhenAll(creates));
                await first.KillHardAsync();
                await Task.WhenAll(creates);
            }

            // Killed in the middle: not every create was acknowledged (and at the first kill point, at least one was).
            acknowledged.Count.ShouldBeLessThan(Creates);
            if (killPoint == FirstAcknowledged)
            {
                acknowledged.ShouldNotBeEmpty();
            }

            using var second = ServeProcessHandle.Start(_home.FullName, args);
            var again = await second.ListeningAsync();
            second.Output.ShouldContain("reconciled:");
            TestContext.Current.TestOutputHelper?.WriteLine($"{acknowledged.Count} of {Creates} acknowledged before the kill; after the restart: "
                + second.Output.Split('\n').First(l => l.StartsWith("reconciled:", StringComparison.Ordinal)));
            using var admin2 = Client(again, (await File.ReadAllTextAsync(Path.Combine(_home.FullName, "key"), Ct)).Trim());
            await Expect.StatusAsync(await admin2.GetAsync("/readyz", Ct), 200);

            using var op2 = Client(again, operatorKey!);
            var rows = await ListAllAsync(op2);
            var containers = await engine.Containers.ListAsync([$"io.airlock.server={serverId}"], ct: Ct);
            var containersBySandbox = containers.GroupBy(c => c.Labels!["io.airlock.sandbox"]).ToDictionary(g => g.Key, g => g.ToList());

            foreach (var id in acknowledged)
            {
                rows.ShouldContainKey(id);
                rows[id].ShouldBe("running", $"sandbox {id}");
                containersBySandbox.ShouldContainKey(id);
                containersBySandbox[id].Count.ShouldBe(1, $"containers of sandbox {id}");
                containersBySandbox[id][0].State.ShouldBe("running");
            }

            // Unacknowledged creates either got through (running, once) or left nothing; no orphan, nothing half-done.
            rows.Values.ShouldAllBe(state => state == "running");
            containersBySandbox.Keys.ShouldBe(rows.Keys, ignoreOrder: true);
            containersBySandbox.Values.ShouldAllBe(list => list.Count == 1);
            var tenant = await Expect.JsonAsync(await admin2.GetAsync("/v1/tenants/acme", Ct), 200);
            tenant["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(rows.Count);
        }
        finally
        {
            if (serverId is not null)
            {
                foreach (var container in await engine.Containers.ListAsync([$"io.airlock.server={serverId}"], ct: CancellationToken.None))
                {
                    await engine.Containers.RemoveIfExistsAsync(container.Id, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Every sandbox of the tenant and its state, through the API's pages.</summary>
    private static async Task<Dictionary<string, string>> ListAllAsync(HttpClient op)
    {
        var result = new Dictionary<string, string>();
        string? token = null;
        do
        {
            var page = await Expect.JsonAsync(await op.GetAsync("/v1/sandboxes?limit=20" + (token is null ? "" : "&pageToken=" + token), Ct), 200);
            foreach (var item in page["items"]!.AsArray())
            {
                result.Add(item!["id"]!.GetValue<string>(), item["state"]!.GetValue<string>());
            }

            token = page["nextPageToken"]?.GetValue<string>();
        }
        while (token is not null);
        return result;
    }

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public void Dispose() => _home.Delete(recursive: true);
}
