using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Api;

/// <summary>
/// Issue 14, item 6: the OpenAPI document is complete enough to generate clients from: every operation has a unique
/// operationId and a summary, the bearer scheme is declared, and every error answer is problem+json.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact(Timeout = 60_000)]
    public async Task Every_operation_has_an_id_a_summary_and_problem_answers()
    {
        await using var server = await ServerHarness.StartAsync();
        var document = await Expect.JsonAsync(await server.Client(null).GetAsync("/openapi/v1.json", Ct), 200);
        document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>().ShouldBe("bearer");
        document["components"]!["schemas"]!["Problem"].ShouldNotBeNull();

        var ids = new List<string>();
        var gaps = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var where = $"{method.ToUpperInvariant()} {path}";
                if (operation!["operationId"]?.GetValue<string>() is { Length: > 0 } id)
                {
                    ids.Add(id);
                }
                else
                {
                    gaps.Add($"{where}: no operationId");
                }

                if (operation["summary"] is null)
                {
                    gaps.Add($"{where}: no summary");
                }

                foreach (var (status, response) in operation["responses"]!.AsObject())
                {
                    if (status.StartsWith('4') || status.StartsWith('5'))
                    {
                        if (response!["content"]?["application/problem+json"] is null)
                        {
                            gaps.Add($"{where}: {status} is not problem+json");
                        }
                    }
                }

                if (path.StartsWith("/v1/", StringComparison.Ordinal) && operation["responses"]!["401"] is null)
                {
                    gaps.Add($"{where}: no 401");
                }
            }
        }

        gaps.ShouldBeEmpty();
        ids.Count.ShouldBeGreaterThan(50);
        ids.ShouldBeUnique();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_field_the_server_leaves_out_when_null_is_not_required_and_numbers_are_only_numbers()
    {
        await using var server = await ServerHarness.StartAsync();
        var schemas = (await Expect.JsonAsync(await server.Client(null).GetAsync("/openapi/v1.json", Ct), 200))["components"]!["schemas"]!;

        // A timed-out exec's answer has no exitCode at all: a generated client must not expect one.
        var exec = schemas["ExecResponse"]!;
        var required = exec["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
        required.ShouldNotContain("exitCode");
        required.ShouldContain("stdout");
        exec["properties"]!["exitCode"]!["type"]!.ToJsonString().ShouldBe("""["null","integer"]""");
        schemas["SandboxLimitsRequest"]!["properties"]!["pids"]!["type"]!.ToJsonString().ShouldNotContain("string");
    }
}
