using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using Airlock.Server.Nodes;
using Airlock.Server.Store;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>The real <c>airlock serve</c> with several engine nodes.</summary>
[SupportedOSPlatform("linux")]
public sealed class ServeNodesCommandTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("airlock-serve-nodes-");

    [Fact(Timeout = 180_000)]
    public async Task Serve_with_podman_and_docker_as_nodes_places_by_capacity_and_strategy()
    {
        await using var db = await TestDatabase.CreateAsync(Stores.Sqlite);
        var podmanNode = $"podman={TestEngines.Endpoint(TestEngines.Podman)},cpus=0.25,memory=1G";
        var dockerNode = $"docker={TestEngines.Endpoint(TestEngines.Docker)}";
        string? serverId = null;
        try
        {
            using var serve = ServeProcessHandle.Start(_home.FullName, "--listen", "http://127.0.0.1:0", "--database", db.Url, "--node", podmanNode, "--node", dockerNode, "--placement", "binpack");
            var address = await serve.ListeningAsync();
            serve.Output.ShouldContain("node podman unix:///run/podman/podman.sock");
            serve.Output.ShouldContain("placement binpack");
            serverId = await new SettingsStore(db.Database).GetOrCreateAsync(ServerIdentity.SettingName, () => "unused", Ct);

            using var admin = new HttpClient { BaseAddress = address };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(Path.Combine(_home.FullName, "server", "bootstrap-key"), Ct)).Trim());
            await Expect.StatusAsync(await admin.PostAsJsonAsync("/v1/tenants", new { id = "acme" }, Ct), 201);
            var key = (await Expect.JsonAsync(await admin.PostAsJsonAsync("/v1/tenants/acme/keys", new { name = "ci", role = "operator" }, Ct), 201))["key"]!.GetValue<string>();
            using var op = new HttpClient { BaseAddress = address };
            op.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

            // podman (listed first) holds one 0.25-CPU sandbox; the next goes to docker.
            var first = await Expect.JsonAsync(await op.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("first"), Ct), 201);
            var second = await Expect.JsonAsync(await op.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("second"), Ct), 201);
            first["node"]!.GetValue<string>().ShouldBe("podman");
            second["node"]!.GetValue<string>().ShouldBe("docker");
            var exec = await Expect.JsonAsync(await op.PostAsJsonAsync($"/v1/sandboxes/{first["id"]}/exec", new { command = new[] { "echo", "on podman" } }, Ct), 200);
            exec["stdout"]!.GetValue<string>().ShouldBe("on podman\n");
        }
        finally
        {
            foreach (var name in new[] { TestEngines.Podman, TestEngines.Docker })
            {
                using var engine = await TestEngines.ConnectAsync(name);
                foreach (var container in serverId is null ? [] : await engine.Containers.ListAsync([$"io.airlock.server={serverId}"], ct: CancellationToken.None))
                {
                    await engine.Containers.RemoveIfExistsAsync(container.Id, CancellationToken.None);
                }
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Bad_node_and_placement_flags_are_exit_2_naming_the_fix()
    {
        var badNode = await AirlockProcess.RunAsync(_home.FullName, "serve", "--node", "Bad_Name=unix:///x.sock", "--node", "ok=ftp://host");
        badNode.Code.ShouldBe(2, badNode.Stderr);
        badNode.Stderr.ShouldContain("'Bad_Name' is not a node name");
        badNode.Stderr.ShouldContain("'ftp://host' is not an engine endpoint");

        var badPlacement = await AirlockProcess.RunAsync(_home.FullName, "serve", "--engine", "docker", "--placement", "roundrobin");
        badPlacement.Code.ShouldBe(2, badPlacement.Stderr);
        badPlacement.Stderr.ShouldContain("binpack, spread or bestfit");

        var snapshots = await AirlockProcess.RunAsync(_home.FullName, "serve", "--engine", "docker", "--max-snapshots", "-1");
        snapshots.Code.ShouldBe(2, snapshots.Stderr);
        snapshots.Stderr.ShouldContain("--max-snapshots -1 is not between 0 and 100000");

        var both = await AirlockProcess.RunAsync(_home.FullName, "serve", "--engine", "docker", "--node", $"docker={TestEngines.Endpoint(TestEngines.Docker)}");
        both.Code.ShouldBe(2, both.Stderr);
        both.Stderr.ShouldContain("--engine and --node");
    }

    public void Dispose() => _home.Delete(recursive: true);
}
