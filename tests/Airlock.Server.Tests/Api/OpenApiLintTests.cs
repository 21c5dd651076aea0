using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Api;

/// <summary>
/// Issue 14, item 6: the OpenAPI document a real server serves lints clean with a standard linter nobody here wrote
/// (Redocly's CLI, recommended rules, no warning), with four operations excepted by name and reason in
/// openapi-lint/.redocly.lint-ignore.yaml.
/// </summary>
public sealed class OpenApiLintTests
{
    private static readonly string LintDirectory = Path.Combine(AirlockBinary.RepoRoot, "tests", "Airlock.Server.Tests", "Api", "openapi-lint");

    [Fact(Timeout = 180_000)]
    public async Task The_served_document_lints_clean_with_redocly()
    {
        var redocly = Path.Combine(LintDirectory, "node_modules", ".bin", "redocly");
        File.Exists(redocly).ShouldBeTrue($"Redocly's CLI is not installed at {redocly}: run scripts/setup-openapi-lint.sh (scripts/test.sh does)");

        await using var server = await ServerHarness.StartAsync();
        var document = await (await server.Client(null).GetAsync("/openapi/v1.json", Ct)).Content.ReadAsStringAsync(Ct);
        using var dir = new TempDirectory("airlock-openapi-lint-");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "openapi.json"), document, Ct);
        File.Copy(Path.Combine(LintDirectory, "redocly.yaml"), Path.Combine(dir.Path, "redocly.yaml"));
        File.Copy(Path.Combine(LintDirectory, ".redocly.lint-ignore.yaml"), Path.Combine(dir.Path, ".redocly.lint-ignore.yaml"));

        var lint = await ProcessRunner.RunAsync(
            redocly, ["lint", "openapi.json", "--format=summary"], new Dictionary<string, string?> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true", ["NO_COLOR"] = "1" }, dir.Path);

        var output = lint.Stdout + lint.Stderr;
        lint.ExitCode.ShouldBe(0, output);
        output.ShouldContain("Your API description is valid", Case.Sensitive, output);

        // The summary lists each rule broken as "error RULE: N" or "warning RULE: N" (Redocly's own banner about
        // Node.js versions is not one of them).
        System.Text.RegularExpressions.Regex.IsMatch(output, @"(?m)^(warning|error)\s+\S+:\s*\d+").ShouldBeFalse(output);
        output.ShouldNotContain("You have", Case.Sensitive, output);
    }
}
