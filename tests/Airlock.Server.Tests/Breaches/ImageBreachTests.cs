using System.Net.Http.Json;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// Issue 10, item 1: a tenant names, as <c>image</c>, something that is not an image the system admin allowed: another
/// tenant's snapshot (by id prefix, id, digest or tag), a launcher user's namespace image, or any other image the
/// engine happens to hold. Each is refused with a 400 on <c>sandbox.image</c>, before any container exists.
/// </summary>
public sealed class ImageBreachTests
{
    [Theory(Timeout = 300_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Another_tenants_snapshot_named_by_id_prefix_full_id_or_tag_is_refused(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var victim = await server.NewTenantAsync("victim");
        var intruder = await server.NewTenantAsync("intruder");
        var holder = await TenantCalls.CreateAsync(victim, ServerHarness.Sandbox("holder"));
        await TenantCalls.ExecAsync(victim, holder, "echo top-secret > /tmp/secret");
        var snapshot = await Expect.JsonAsync(await victim.Operator.PostAsJsonAsync($"/v1/sandboxes/{holder}/snapshots", new { name = "s" }, Ct), 201);
        var tag = snapshot["image"]!.GetValue<string>();
        var id = (await server.Engine.Images.InspectAsync(tag, Ct)).Id["sha256:".Length..];

        string[] attempts = [id[..2], id[..12], id, "sha256:" + id, tag];
        for (var i = 0; i < attempts.Length; i++)
        {
            var response = await intruder.Operator.PostAsJsonAsync(
                "/v1/sandboxes", new { name = $"steal-{i}", image = attempts[i], command = new[] { "cat", "/tmp/secret" } }, Ct);
            if ((int)response.StatusCode == 201)
            {
                // The breach as the audit found it: the intruder's sandbox runs on the victim's files.
                var stolen = (await Expect.JsonAsync(response, 201))["id"]!.GetValue<string>();
                var log = await intruder.Viewer.GetStringAsync($"/v1/sandboxes/{stolen}/logs?follow=true", Ct);
                throw new Xunit.Sdk.XunitException($"image '{attempts[i]}' was accepted and the intruder's sandbox printed: {log}");
            }

            await TenantCalls.RefusedOnAsync(response, "sandbox.image");
        }

        (await server.ContainerNamesAsync()).ShouldBe(["airlock-" + holder]);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Namespace_images_short_names_and_images_off_the_allowlist_are_refused(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var namespaceTag = $"breach-{server.CaseId}";
        var otherRepository = $"localhost/airlock-breach-{server.CaseId}";
        await server.Engine.Images.TagAsync(TestEngines.BaseImage, "localhost/airlock", namespaceTag, Ct);
        await server.Engine.Images.TagAsync(TestEngines.BaseImage, otherRepository, "v1", Ct);
        try
        {
            string[] refused = [$"localhost/airlock:{namespaceTag}", $"{otherRepository}:v1", "airlock-base:bookworm"];
            foreach (var image in refused)
            {
                var detail = await TenantCalls.RefusedOnAsync(
                    await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "probe", image, command = new[] { "true" } }, Ct), "sandbox.image");
                detail.ShouldContain(image);
            }

            (await server.ContainerNamesAsync()).ShouldBeEmpty();
        }
        finally
        {
            await server.Engine.Images.RemoveIfExistsAsync($"localhost/airlock:{namespaceTag}", force: false, CancellationToken.None);
            await server.Engine.Images.RemoveIfExistsAsync($"{otherRepository}:v1", force: false, CancellationToken.None);
        }
    }

    [Theory(Timeout = 240_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task The_allowlist_admits_listed_references_and_repositories_server_wide_and_per_tenant(string engine)
    {
        var repository = $"localhost/airlock-breach-allowed-{Guid.NewGuid():N}"[..48];
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine, configure: o => o with { AllowedImages = [TestEngines.BaseImage, $"{repository}:v1"] });
        var one = await server.NewTenantAsync("one");
        var two = await server.NewTenantAsync("two");
        await server.Engine.Images.TagAsync(TestEngines.BaseImage, repository, "v1", Ct);
        await server.Engine.Images.TagAsync(TestEngines.BaseImage, repository, "v2", Ct);
        try
        {
            object Body(string name, string image) => new { name, image, command = new[] { "sleep", "infinity" }, limits = new { cpus = 0.25, memoryBytes = 64L << 20 } };

            // Server-wide: the listed tag, not its sibling.
            await TenantCalls.CreateAsync(one, Body("v1", $"{repository}:v1"));
            (await TenantCalls.RefusedOnAsync(await one.Operator.PostAsJsonAsync("/v1/sandboxes", Body("v2", $"{repository}:v2"), Ct), "sandbox.image"))
                .ShouldContain("not an image this server allows");

            // Per tenant: the system admin allows tenant two the whole repository; tenant one is unchanged.
            var view = await Expect.JsonAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/two/images", new { images = new[] { repository } }, Ct), 200);
            view["tenant"]!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe([repository]);
            view["server"]!.AsArray().Select(i => i!.GetValue<string>()).ShouldBe([TestEngines.BaseImage, $"{repository}:v1"]);
            await TenantCalls.CreateAsync(two, Body("v2", $"{repository}:v2"));
            await TenantCalls.RefusedOnAsync(await one.Operator.PostAsJsonAsync("/v1/sandboxes", Body("v2", $"{repository}:v2"), Ct), "sandbox.image");
            (await Expect.JsonAsync(await two.Viewer.GetAsync("/v1/tenants/two/images", Ct), 200))["tenant"]!.AsArray().Count.ShouldBe(1);
            await Expect.ProblemAsync(await one.Viewer.GetAsync("/v1/tenants/two/images", Ct), 404);

            // Only the system admin sets a list, and every entry is checked like --allow-image.
            await Expect.ProblemAsync(await two.Admin.PutAsJsonAsync("/v1/tenants/two/images", new { images = new[] { "docker.io/library/python" } }, Ct), 403);
            var bad = await Expect.ProblemAsync(await server.Admin.PutAsJsonAsync("/v1/tenants/two/images", new
            {
                images = new[] { "python:3.12", "localhost/airlock-snapshot", "localhost/airlock:default", "f4", "localhost/airlock-template-base" },
            }, Ct), 400);
            bad["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["images[0]", "images[1]", "images[2]", "images[3]", "images[4]"]);
        }
        finally
        {
            await server.Engine.Images.RemoveIfExistsAsync($"{repository}:v1", force: false, CancellationToken.None);
            await server.Engine.Images.RemoveIfExistsAsync($"{repository}:v2", force: false, CancellationToken.None);
        }
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_digest_outside_the_list_is_refused_even_when_the_engine_resolves_it(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine, configure: o => o with { AllowedImages = [TestEngines.BaseImage, "localhost/airlock-breach-digests"] });
        var tenant = await server.NewTenantAsync("acme");
        var image = await server.Engine.Images.InspectAsync(TestEngines.BaseImage, Ct);
        var digest = image.RepoDigests is { Count: > 0 } digests ? digests[0][(digests[0].IndexOf('@', StringComparison.Ordinal) + 1)..] : image.Id;

        // podman resolves any name with a known digest (Docker by image id): an allowed repository is no licence for digests.
        foreach (var reference in new[] { $"localhost/airlock-breach-digests@{digest}", $"localhost/any-name@{digest}", $"localhost/airlock-base@{image.Id}" })
        {
            await TenantCalls.RefusedOnAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "digest", image = reference, command = new[] { "true" } }, Ct), "sandbox.image");
        }

        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Theory(Timeout = 300_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task An_allowed_name_that_points_at_another_tenants_image_is_refused_after_inspect(string engine)
    {
        var shared = $"localhost/airlock-breach-shared-{Guid.NewGuid():N}"[..48];
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine, configure: o => o with { AllowedImages = [TestEngines.BaseImage, shared] });
        var victim = await server.NewTenantAsync("victim");
        var intruder = await server.NewTenantAsync("intruder");
        var holder = await TenantCalls.CreateAsync(victim, ServerHarness.Sandbox("holder"));
        var snapshot = await Expect.JsonAsync(await victim.Operator.PostAsJsonAsync($"/v1/sandboxes/{holder}/snapshots", new { name = "s" }, Ct), 201);

        // Someone with the engine (or a careless admin) tags the victim's snapshot under an allowed name.
        await server.Engine.Images.TagAsync(snapshot["image"]!.GetValue<string>(), shared, "latest", Ct);
        try
        {
            var detail = await TenantCalls.RefusedOnAsync(
                await intruder.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "steal", image = $"{shared}:latest", command = new[] { "cat", "/etc/hostname" } }, Ct), "sandbox.image");
            detail.ShouldContain("another tenant");
            (await server.ContainerNamesAsync()).ShouldBe(["airlock-" + holder]);
            (await Expect.JsonAsync(await intruder.Viewer.GetAsync("/v1/tenants/intruder", Ct), 200))["usage"]!["sandboxes"]!.GetValue<long>().ShouldBe(0);

            // The owner itself is sent to "snapshot", the field that checks it is its own.
            (await TenantCalls.RefusedOnAsync(
                await victim.Operator.PostAsJsonAsync("/v1/sandboxes", new { name = "mine", image = $"{shared}:latest", command = new[] { "true" } }, Ct), "sandbox.image"))
                .ShouldContain("\"snapshot\"");
        }
        finally
        {
            await server.Engine.Images.RemoveIfExistsAsync($"{shared}:latest", force: false, CancellationToken.None);
        }
    }
}
