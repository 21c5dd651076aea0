using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>Lifetimes, pause and resume through the real client: <c>sandbox create --timeout</c>, <c>pause</c>, <c>resume</c>, <c>timeout</c>.</summary>
public sealed class LifetimeCommandTests
{
    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Create_with_a_timeout_pause_resume_and_extend_through_the_cli(string engine)
    {
        await using var server = await ServeProcess.StartAsync(engine);
        var (_, op, _) = await server.NewTenantWithKeysAsync("life");
        await ServeProcess.Ok(server.RunAsync(op, "sandbox", "create", "box", "--image", TestEngines.BaseImage, "--cpus", "0.25", "-m", "64m",
            "--timeout", "600", "--on-timeout", "delete", "--idle-timeout", "300", "--", "sleep", "infinity"));
        var shown = await ServeProcess.Ok(server.RunAsync(op, "sandbox", "get", "box"));
        shown.ShouldContain("(delete)");
        shown.ShouldContain("idle timeout");

        (await ServeProcess.Ok(server.RunAsync(op, "sandbox", "pause", "box"))).ShouldContain("is paused");
        (await ServeProcess.Ok(server.RunAsync(op, "sandbox", "list"))).ShouldContain("paused");
        (await ServeProcess.Ok(server.RunAsync(op, "sandbox", "resume", "box"))).ShouldContain("is running");

        var extended = JsonNode.Parse(await ServeProcess.Ok(server.RunAsync(op, "sandbox", "timeout", "box", "7200", "--json")))!;
        extended["expiresAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(110));

        var bad = await server.RunAsync(op, "sandbox", "create", "other", "--image", TestEngines.BaseImage, "--timeout", "0");
        bad.Code.ShouldBe(2);
        bad.Stderr.ShouldContain("sandbox.timeoutSeconds");
        var badEnding = await server.RunAsync(op, "sandbox", "create", "other", "--image", TestEngines.BaseImage, "--timeout", "5", "--on-timeout", "explode");
        badEnding.Code.ShouldBe(2);
        badEnding.Stderr.ShouldContain("--on-timeout");
        await ServeProcess.Ok(server.RunAsync(op, "sandbox", "delete", "box"));
    }
}
