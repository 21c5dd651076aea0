using System.Net.Http.Json;
using Airlock.Server.Templates;
using Airlock.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Airlock.Server.Tests.Api;

/// <summary>
/// Sandboxes created from a template on real Docker (its builds are the fastest here): the template's image is built
/// once per content and node, then reused. The images carry the case label, so the harness removes them at the end.
/// </summary>
public sealed class TemplateCreateTests
{
    private static object FromTemplate(string name, string template) => new
    {
        name,
        template,
        command = new[] { "sleep", "infinity" },
        limits = new { cpus = 0.25, memoryBytes = 128L * 1024 * 1024 },
    };

    private static string Text(System.Text.Json.Nodes.JsonNode problem) =>
        problem.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact(Timeout = 600_000)]
    public async Task Base_template_is_built_once_for_concurrent_creates_then_reused()
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, TestEngines.Docker);
        var tenant = await server.NewTenantAsync("acme");
        var templates = server.Server.Services.GetRequiredService<TemplateImages>();

        // An image of this exact content left by an earlier run would hide the build this test is about.
        string tag;
        using (var resolved = await templates.ResolveAsync("base", Ct))
        {
            tag = resolved.Image;
        }

        await server.Engine.Images.RemoveIfExistsAsync(tag, force: false, Ct);
        tag.ShouldStartWith("localhost/airlock-template-base:");

        var both = await Task.WhenAll(
            tenant.Operator.PostAsJsonAsync("/v1/sandboxes", FromTemplate("one", "base"), Ct),
            tenant.Operator.PostAsJsonAsync("/v1/sandboxes", FromTemplate("two", "base"), Ct));
        var one = await Expect.JsonAsync(both[0], 201);
        var two = await Expect.JsonAsync(both[1], 201);
        templates.Builds.ShouldBe(1);
        foreach (var created in new[] { one, two })
        {
            created["state"]!.GetValue<string>().ShouldBe("running");
            created["image"]!.GetValue<string>().ShouldBe(tag);
            created["template"]!.GetValue<string>().ShouldBe("base");
        }

        // The image is the server's, not an orphan snapshot image: labelled with its owner, server, node and template.
        var image = await server.Engine.Images.InspectAsync(tag, Ct);
        image.Config!.Labels!["io.airlock.owner"].ShouldBe("server");
        image.Config.Labels["io.airlock.server"].ShouldBe(server.Server.ServerId);
        image.Config.Labels["io.airlock.template"].ShouldBe("base");
        image.Config.Labels.ShouldNotContainKey("io.airlock.snapshot");

        // The sandbox runs the template's image: its user, made by the template's airlock-user.sh, is there.
        var exec = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync(
            $"/v1/sandboxes/{one["id"]!.GetValue<string>()}/exec", new { command = new[] { "getent", "passwd", "airlock" } }, Ct), 200);
        exec["exitCode"]!.GetValue<int>().ShouldBe(0);
        exec["stdout"]!.GetValue<string>().ShouldStartWith("airlock:x:1000:1000:");

        var third = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", FromTemplate("three", "base"), Ct), 201);
        third["image"]!.GetValue<string>().ShouldBe(tag);
        templates.Builds.ShouldBe(1);
        (await server.Engine.Images.InspectAsync(tag, Ct)).Id.ShouldBe(image.Id);

        var shown = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{third["id"]!.GetValue<string>()}", Ct), 200);
        shown["template"]!.GetValue<string>().ShouldBe("base");
    }

    [Fact(Timeout = 120_000)]
    public async Task An_unknown_template_is_refused_naming_the_field_and_listing_the_templates()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");

        var problem = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", FromTemplate("x", "no-such-template"), Ct), 400);
        Text(problem).ShouldContain("sandbox.template");
        Text(problem).ShouldContain("no template named 'no-such-template'");
        Text(problem).ShouldContain("base, cli-agents, default");

        var git = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", FromTemplate("y", "https://example.com/t.git"), Ct), 400);
        Text(git).ShouldContain("is a git URL");

        var both = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync(
            "/v1/sandboxes", new { name = "z", template = "base", image = TestEngines.BaseImage }, Ct), 400);
        Text(both).ShouldContain("not several");
        server.Server.Services.GetRequiredService<TemplateImages>().Builds.ShouldBe(0);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_tenant_at_its_quota_gets_409_before_any_build()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme", maxSandboxes: 1);
        await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("first"), Ct), 201);

        var problem = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", FromTemplate("second", "base"), Ct), 409);
        problem["detail"]!.GetValue<string>().ShouldContain("sandboxes: 1 of 1 in use");
        server.Server.Services.GetRequiredService<TemplateImages>().Builds.ShouldBe(0);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_failing_template_build_names_the_step_and_leaves_no_row_or_reservation()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var template = Path.Combine(server.Dir, "airlock", "templates", "broken");
        Directory.CreateDirectory(template);
        await File.WriteAllTextAsync(
            Path.Combine(template, "Dockerfile"), $"ARG BASE_IMAGE\nFROM ${{BASE_IMAGE}}\nRUN echo broken-{server.CaseId} && false\n", Ct);

        var problem = await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", FromTemplate("b", "broken"), Ct), 422);
        var detail = problem["detail"]!.GetValue<string>();
        detail.ShouldContain("sandbox.template: building template 'broken'");
        detail.ShouldContain($"echo broken-{server.CaseId} && false");

        var list = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/sandboxes", Ct), 200);
        list["items"]!.AsArray().Count.ShouldBe(0);
        var usage = await Expect.JsonAsync(await tenant.Viewer.GetAsync("/v1/tenants/acme", Ct), 200);
        usage["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(0);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }
}
