using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Api;

/// <summary>Malformed input gets a 4xx problem naming what is wrong, never a 5xx, and creates nothing.</summary>
public sealed class BadInputTests
{
    [Fact(Timeout = 120_000)]
    public async Task Malformed_requests_get_clear_4xx_problems_and_leave_nothing_behind()
    {
        await using var server = await ServerHarness.StartAsync(maxBody: 16 * 1024);
        var tenant = await server.NewTenantAsync("acme");
        var op = tenant.Operator;

        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson("{\"name\": \"x\", "), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("not valid JSON");
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson("[1,2]"), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("JSON");
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson(""), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("JSON");
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson("null"), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("null");
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson("{\"name\":\"x\",\"image\":\"i\",\"mounts\":[{\"source\":\"/\"}]}"), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("mounts");
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson("{\"name\": 12}"), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("$.name");
        // A number is a JSON number: the same field does not also take a string.
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson($"{{\"name\":\"x\",\"image\":\"{TestEngines.BaseImage}\",\"limits\":{{\"cpus\":\"0.5\"}}}}"), Ct), 400))
            ["detail"]!.GetValue<string>().ShouldContain("$.limits.cpus");
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", new StringContent("name=x"), Ct), 415))["detail"]!.GetValue<string>().ShouldContain("application/json");

        var huge = "{\"name\":\"x\",\"image\":\"" + new string('a', 64 * 1024) + "\"}";
        (await Expect.ProblemAsync(await op.PostAsync("/v1/sandboxes", Expect.RawJson(huge), Ct), 413))["detail"]!.GetValue<string>().ShouldContain("larger");

        var invalid = await Expect.ProblemAsync(await op.PostAsJsonAsync("/v1/sandboxes", new
        {
            name = "Not A Name!",
            image = "../../etc/passwd",
            workingDirectory = "/work/../../etc",
            env = new Dictionary<string, string> { ["1BAD"] = "x" },
            labels = new Dictionary<string, string> { ["io.airlock.tenant"] = "other" },
            limits = new { cpus = 1000, memoryBytes = 1 },
            network = "host",
        }, Ct), 400);
        var paths = invalid["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
        paths.ShouldBe(
            ["sandbox.name", "sandbox.image", "sandbox.labels.io.airlock.tenant", "sandbox.workingDirectory", "sandbox.limits.cpus", "sandbox.limits.memoryBytes", "sandbox.network"],
            ignoreOrder: true);
        (await Expect.ProblemAsync(await op.PostAsJsonAsync("/v1/sandboxes", new { name = "ok", image = TestEngines.BaseImage, env = new Dictionary<string, string> { ["1BAD"] = "x" } }, Ct), 400))
            ["errors"]!.AsArray().Single()!["path"]!.GetValue<string>().ShouldBe("sandbox.environment.1BAD");
        (await Expect.ProblemAsync(await op.PostAsJsonAsync("/v1/sandboxes", new { name = "t", template = "node" }, Ct), 400))["detail"]!.GetValue<string>().ShouldContain("sandbox.template: no template named 'node'; available: base, cli-agents, default");

        await Expect.ProblemAsync(await op.GetAsync("/v1/sandboxes?limit=abc", Ct), 400);
        await Expect.ProblemAsync(await op.GetAsync("/v1/sandboxes?limit=100000", Ct), 400);
        await Expect.ProblemAsync(await op.GetAsync("/v1/sandboxes?state=sleeping", Ct), 400);
        await Expect.ProblemAsync(await op.GetAsync("/v1/sandboxes?pageToken=..%2F..%2Fetc", Ct), 400);
        await Expect.ProblemAsync(await op.GetAsync("/v1/sandboxes?label=novalue", Ct), 400);
        await Expect.ProblemAsync(await op.GetAsync("/v1/sandboxes/..%2F..%2Fetc%2Fpasswd", Ct), 404);
        await Expect.ProblemAsync(await op.GetAsync("/v1/sandboxes/sb000000000000000000000000/logs?tail=-1", Ct), 400);
        await Expect.ProblemAsync(await op.GetAsync("/v1/no-such-route", Ct), 404);
        await Expect.ProblemAsync(await server.Admin.PostAsJsonAsync("/v1/tenants", new { id = "../etc" }, Ct), 400);
        await Expect.ProblemAsync(await server.Admin.PostAsJsonAsync("/v1/tenants", new { id = "acme" }, Ct), 409);
        await Expect.ProblemAsync(await server.Admin.PostAsJsonAsync("/v1/tenants", new { id = "other", tier = "gold" }, Ct), 400);
        await Expect.ProblemAsync(await tenant.Admin.PostAsJsonAsync("/v1/tenants/acme/keys", new { name = "k", role = "root" }, Ct), 400);

        // exec's path-like and argv fields, on a real running sandbox.
        var id = (await Expect.JsonAsync(await op.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("target"), Ct), 201))["id"]!.GetValue<string>();
        (await Expect.ProblemAsync(await op.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = new[] { "ls" }, workingDirectory = "../../../" }, Ct), 400))
            ["errors"]!.AsArray().Single()!["path"]!.GetValue<string>().ShouldBe("exec.workingDirectory");
        await Expect.ProblemAsync(await op.PostAsJsonAsync($"/v1/sandboxes/{id}/exec", new { command = Array.Empty<string>() }, Ct), 400);
        await Expect.ProblemAsync(await op.PostAsync($"/v1/sandboxes/{id}/exec", Expect.RawJson("{\"command\": \"ls\"}"), Ct), 400);

        var list = await Expect.JsonAsync(await op.GetAsync("/v1/sandboxes", Ct), 200);
        list["items"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ShouldBe(["target"]);
        (await server.ContainerNamesAsync()).ShouldBe([$"airlock-{id}"]);
    }
}
