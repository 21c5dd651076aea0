using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>The exec time limit through the real client and server binaries: <c>airlock sandbox exec --timeout</c>.</summary>
public sealed class ExecTimeoutCliTests
{
    [Fact(Timeout = 180_000)]
    public async Task Sandbox_exec_past_its_timeout_prints_the_output_so_far_and_exits_124()
    {
        await using var server = await ServeProcess.StartAsync();
        var tenant = server.NewTenantId("timeout");
        (await server.RunAsync(server.BootstrapKey, "tenant", "create", tenant)).Code.ShouldBe(0);
        var op = (await server.RunAsync(server.BootstrapKey, "key", "create", "--tenant", tenant, "--name", "op", "--role", "operator")).Stdout.Trim();
        var created = await server.RunAsync(op, "sandbox", "create", "box", "--image", TestEngines.BaseImage, "--cpus", "0.25", "-m", "64m", "--", "sleep", "infinity");
        created.Code.ShouldBe(0, created.Stderr);

        var (code, stdout, stderr) = await server.RunAsync(op, "sandbox", "exec", "--timeout", "2", "box", "--", "sh", "-c", "echo begun; exec sleep 600");

        code.ShouldBe(124, stderr);
        stdout.ShouldBe("begun\n");
        stderr.ShouldContain("time limit");
        var bad = await server.RunAsync(op, "sandbox", "exec", "--timeout", "7200", "box", "--", "true");
        bad.Code.ShouldBe(2);
        bad.Stderr.ShouldContain("exec.timeoutSeconds");
        (await server.RunAsync(op, "sandbox", "delete", "box")).Code.ShouldBe(0);
    }
}
