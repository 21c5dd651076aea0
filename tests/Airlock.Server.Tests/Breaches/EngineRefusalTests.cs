using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// Issue 10, item 4: what the engine refuses because of the tenant's input is the tenant's 400, naming the field and
/// carrying the engine's reason, never a 500; and nothing of the refused create is left behind.
/// </summary>
public sealed class EngineRefusalTests
{
    [Theory(Timeout = 120_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_create_from_an_image_without_a_command_and_without_one_given_is_a_400_on_command(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");

        // The base image has neither CMD nor ENTRYPOINT.
        var detail = await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "bare", image = TestEngines.BaseImage }, Ct), "sandbox.command");
        detail.ShouldContain("no command");

        await NothingLeftAsync(server, tenant);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Sandbox_settings_the_engine_refuses_are_400s_naming_the_field_with_the_engines_reason(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme", maxCpus: 1000);

        // A file as the working directory: Docker refuses the create and podman the start, both with a 500 of their own.
        var file = await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync(
            "/v1/sandboxes", new { name = "file", image = TestEngines.BaseImage, command = new[] { "true" }, workingDirectory = "/etc/passwd" }, Ct), "sandbox.workingDirectory");
        file.ShouldContain("/etc/passwd");
        file.ShouldContain("the engine refused it");

        // More CPUs than the machine has: Docker refuses (saying how many there are), podman accepts and caps.
        var wide = await tenant.Operator.PostAsJsonAsync(
            "/v1/sandboxes", new { name = "wide", image = TestEngines.BaseImage, command = new[] { "sleep", "infinity" }, limits = new { cpus = 64, memoryBytes = 64L << 20 } }, Ct);
        if (engine == TestEngines.Docker)
        {
            (await TenantCalls.RefusedOnAsync(wide, "sandbox.limits.cpus")).ShouldContain("CPUs");
        }
        else
        {
            var id = (await Expect.JsonAsync(wide, 201))["id"]!.GetValue<string>();
            await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
        }

        await NothingLeftAsync(server, tenant);

        // A program the image does not have: the sandbox's init starts, says so and exits (Docker's tini 127, podman's catatonit 1), no 500.
        var missing = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync(
            "/v1/sandboxes", new { name = "missing", image = TestEngines.BaseImage, command = new[] { "/no/such/program" } }, Ct), 201))["id"]!.GetValue<string>();
        (await tenant.Viewer.GetStringAsync($"/v1/sandboxes/{missing}/logs?follow=true", Ct)).ShouldContain("No such file or directory");
        await server.Engine.Containers.WaitAsync("airlock-" + missing, Ct);
        var exited = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{missing}", Ct), 200);
        exited["state"]!.GetValue<string>().ShouldBe("exited");
        exited["exitCode"]!.GetValue<int>().ShouldNotBe(0);
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"/v1/sandboxes/{missing}", Ct), 204);
    }

    private static async Task NothingLeftAsync(ServerHarness server, TestTenant tenant)
    {
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200))["items"]!.AsArray().ShouldBeEmpty();
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/tenants/{tenant.Id}", Ct), 200))["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(0);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }
}
