using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>The few API calls the breach tests repeat, each asserting its own success.</summary>
internal static class TenantCalls
{
    public static async Task<string> CreateAsync(TestTenant tenant, object body) =>
        (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", body, Ct), 201))["id"]!.GetValue<string>();

    public static async Task<string> ExecAsync(TestTenant tenant, string sandbox, string script)
    {
        var result = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{sandbox}/exec", new { command = new[] { "sh", "-c", script } }, Ct), 200);
        result["exitCode"]!.GetValue<int>().ShouldBe(0, result["stderr"]!.GetValue<string>());
        return result["stdout"]!.GetValue<string>();
    }

    /// <summary>The paths of a 400's errors, which must name <paramref name="field"/>.</summary>
    public static async Task<string> RefusedOnAsync(HttpResponseMessage response, string field)
    {
        var problem = await Expect.ProblemAsync(response, 400);
        var paths = problem["errors"]?.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList() ?? [];
        paths.ShouldContain(field, $"the 400 must name {field}: {problem.ToJsonString()}");
        return problem["detail"]!.GetValue<string>();
    }
}
