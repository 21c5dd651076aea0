using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>One real <c>airlock serve</c> process (SQLite, Docker) for the client tests of a class.</summary>
public sealed class ServeFixture : IAsyncLifetime
{
    public ServeProcess Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await ServeProcess.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The real <c>airlock</c> client (<c>sandbox</c>, <c>tenant</c>, <c>key</c>, <c>snapshot</c>) against the real
/// <c>airlock serve</c> process, as a person or a script runs it: exit codes, --json that parses, the server's messages.
/// </summary>
public sealed class ClientCommandTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private ServeProcess Server => fixture.Server;

    [Fact(Timeout = 180_000)]
    public async Task Sandbox_create_list_get_exec_logs_stop_start_delete_through_the_cli()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("life");

        var created = await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "box", "--image", TestEngines.BaseImage, "--cpus", "0.25", "-m", "64m",
            "-l", "team=red", "--json", "--", "sh", "-c", "echo started; sleep infinity"));
        var sandbox = JsonNode.Parse(created)!;
        sandbox["state"]!.GetValue<string>().ShouldBe("running");
        sandbox["memoryBytes"]!.GetValue<long>().ShouldBe(64L << 20);
        var id = sandbox["id"]!.GetValue<string>();

        var list = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "list", "--json")))!.AsArray();
        list.Select(s => s!["id"]!.GetValue<string>()).ShouldBe([id]);
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "list", "-l", "team=blue", "-q"))).Trim().ShouldBeEmpty();
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "list"))).ShouldContain("box");

        // By name as well as by id.
        var shown = await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "get", "box"));
        shown.ShouldContain(id);
        shown.ShouldContain("team=red");

        var exec = await Server.RunAsync(op, "sandbox", "exec", id, "--", "sh", "-c", "echo to-out; echo to-err >&2; exit 7");
        exec.Code.ShouldBe(7, exec.Stderr);
        exec.Stdout.ShouldBe("to-out\n");
        exec.Stderr.ShouldContain("to-err");
        var execJson = await Server.RunAsync(op, "sandbox", "exec", "--json", "box", "--", "sh", "-c", "echo json; exit 3");
        execJson.Code.ShouldBe(3);
        JsonNode.Parse(execJson.Stdout)!["stdout"]!.GetValue<string>().ShouldBe("json\n");

        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "logs", "box"))).ShouldContain("started");

        JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "stop", "box", "--json")))!["state"]!.GetValue<string>().ShouldBe("stopped");
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "start", "box"))).ShouldContain("is running");

        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "delete", "box"))).ShouldContain(id);
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "list", "--json"))).Trim().ShouldBe("[]");
        using var engine = await TestEngines.ConnectAsync(Server.Engine);
        (await engine.Containers.TryInspectAsync("airlock-" + id, Ct)).ShouldBeNull();
    }

    [Fact(Timeout = 180_000)]
    public async Task A_snapshot_made_through_the_cli_is_listed_as_a_table_and_as_json_and_deleted()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("snaps");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "snapped", "--image", TestEngines.BaseImage, "--", "sleep", "infinity"));

        var made = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "snapshot", "snapped", "--name", "after-setup", "--json")))!;
        var snapshotId = made["id"]!.GetValue<string>();

        // The list is paged on the server; the client reads every page into one list.
        var listed = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "snapshot", "list", "--json")))!.AsArray();
        listed.Select(s => s!["id"]!.GetValue<string>()).ShouldBe([snapshotId]);
        (await ServeProcess.Ok(Server.RunAsync(op, "snapshot", "list"))).ShouldContain("after-setup");
        (await ServeProcess.Ok(Server.RunAsync(op, "snapshot", "list", "-q"))).Trim().ShouldBe(snapshotId);

        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "delete", "snapped"));
        await ServeProcess.Ok(Server.RunAsync(op, "snapshot", "delete", snapshotId));
        (await ServeProcess.Ok(Server.RunAsync(op, "snapshot", "list", "--json"))).Trim().ShouldBe("[]");
    }

    [Fact(Timeout = 120_000)]
    public async Task Logs_follow_streams_until_the_sandbox_ends()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("follow");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "talker", "--image", TestEngines.BaseImage, "--", "sh", "-c", "echo first; sleep 2; echo second"));

        // Returns only when the stream ends, i.e. after the sandbox's process has ended: both lines, the later one too.
        var followed = await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "logs", "talker", "--follow"));

        followed.ShouldBe("first\nsecond\n");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "delete", "talker"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Tenant_and_key_admin_through_the_cli_and_a_revoked_key_is_refused_at_once()
    {
        var tenant = Server.NewTenantId("admin");
        var created = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "create", tenant, "--max-sandboxes", "2", "--max-memory", "4g", "--json")))!;
        created["quota"]!["maxSandboxes"]!.GetValue<long>().ShouldBe(2);
        created["quota"]!["maxMemoryBytes"]!.GetValue<long>().ShouldBe(4L << 30);

        var tenants = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "list", "--json")))!.AsArray();
        tenants.ShouldContain(t => t!["id"]!.GetValue<string>() == tenant);
        var requota = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "quota", tenant, "--max-sandboxes", "5", "--tier", "premium", "--json")))!;
        requota["quota"]!["maxSandboxes"]!.GetValue<long>().ShouldBe(5);
        requota["tier"]!.GetValue<string>().ShouldBe("premium");
        (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "get", tenant))).ShouldContain("0 of 5");

        // The key alone on stdout, so KEY=$(airlock key create ...) works.
        var viewer = await Server.RunAsync(Server.BootstrapKey, "key", "create", "--tenant", tenant, "--name", "reader", "--role", "viewer");
        viewer.Code.ShouldBe(0, viewer.Stderr);
        var viewerKey = viewer.Stdout.Trim();
        viewerKey.ShouldStartWith("alk_");
        viewer.Stderr.ShouldContain("shown this once");

        var keys = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "key", "list", "--tenant", tenant, "--json")))!.AsArray();
        var keyId = keys.Single()!["id"]!.GetValue<string>();
        keys.Single()!["role"]!.GetValue<string>().ShouldBe("viewer");
        viewerKey.ShouldContain(keyId);

        // A viewer may list, not create: the server's 403, exit 2.
        await ServeProcess.Ok(Server.RunAsync(viewerKey, "sandbox", "list"));
        var refused = await Server.RunAsync(viewerKey, "sandbox", "create", "x", "--image", TestEngines.BaseImage);
        refused.Code.ShouldBe(2);
        refused.Stderr.ShouldContain("403");
        refused.Stderr.ShouldContain("role");

        (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "key", "revoke", keyId, "--tenant", tenant))).ShouldContain(keyId);
        var afterRevoke = await Server.RunAsync(viewerKey, "sandbox", "list");
        afterRevoke.Code.ShouldBe(2);
        afterRevoke.Stderr.ShouldContain("401");
        afterRevoke.Stderr.ShouldContain("AIRLOCK_TOKEN");

        (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "delete", tenant))).ShouldContain(tenant);
        var gone = await Server.RunAsync(Server.BootstrapKey, "tenant", "get", tenant);
        gone.Code.ShouldBe(2);
        gone.Stderr.ShouldContain("airlock tenant list");
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_AIRLOCK_TOKEN_the_client_is_exit_2_saying_to_set_it()
    {
        var (code, _, stderr) = await Server.RunAsync(null, "sandbox", "list");

        code.ShouldBe(2);
        stderr.ShouldContain("AIRLOCK_TOKEN is not set");
        stderr.ShouldContain("export AIRLOCK_TOKEN=");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_url_where_nothing_listens_is_exit_3_asking_whether_airlock_serve_runs_there()
    {
        var (code, _, stderr) = await Server.RunAsync(Server.BootstrapKey, "tenant", "list", "--server", "http://127.0.0.1:1");

        code.ShouldBe(3);
        stderr.ShouldContain("connection refused");
        stderr.ShouldContain("is `airlock serve` running at http://127.0.0.1:1/");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_flag_that_is_not_a_url_is_exit_2_naming_the_flag()
    {
        var (code, _, stderr) = await Server.RunAsync(Server.BootstrapKey, "sandbox", "list", "--server", "localhost:8470/x?y");

        code.ShouldBe(2);
        stderr.ShouldContain("--server 'localhost:8470/x?y' is not an http(s) URL");
    }

    [Fact(Timeout = 60_000)]
    public async Task Unknown_sandbox_ids_and_names_are_exit_2_pointing_at_the_list()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("missing");

        foreach (var given in new[] { "sb0123456789abcdef01234567", "no-such-box" })
        {
            var (code, _, stderr) = await Server.RunAsync(op, "sandbox", "get", given);
            code.ShouldBe(2, stderr);
            stderr.ShouldContain("airlock sandbox list");
        }

        var deleteSnapshot = await Server.RunAsync(op, "snapshot", "delete", "no-such-snapshot");
        deleteSnapshot.Code.ShouldBe(2, deleteSnapshot.Stderr);
        deleteSnapshot.Stderr.ShouldContain("404");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_tenant_forced_onto_gvisor_through_the_cli_gets_gvisor_and_is_refused_a_container()
    {
        var (tenant, op, _) = await Server.NewTenantWithKeysAsync("iso");
        (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "isolation", tenant))).ShouldContain("container, gvisor (default container)");
        var forced = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "tenant", "isolation", tenant, "--allow-isolation", "gvisor", "--json")))!;
        forced["isolation"]!["default"]!.GetValue<string>().ShouldBe("gvisor");

        var created = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "g1", "--image", TestEngines.BaseImage, "--json", "--", "sleep", "infinity")))!;
        created["isolation"]!.GetValue<string>().ShouldBe("gvisor");
        (await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "g1", "--", "cat", "/proc/version"))).ShouldStartWith("Linux version 4.4.0");

        var refused = await Server.RunAsync(op, "sandbox", "create", "c1", "--image", TestEngines.BaseImage, "--isolation", "container", "--", "sleep", "infinity");
        refused.Code.ShouldBe(2);
        refused.Stderr.ShouldContain("sandbox.isolation");
        var unknown = await Server.RunAsync(op, "sandbox", "create", "v1", "--image", TestEngines.BaseImage, "--isolation", "vm", "--", "sleep", "infinity");
        unknown.Code.ShouldBe(2);
        unknown.Stderr.ShouldContain("container, gvisor");
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "delete", "g1"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Bad_create_input_is_exit_2_listing_every_field_the_server_named()
    {
        var (_, op, _) = await Server.NewTenantWithKeysAsync("bad");

        var (code, _, stderr) = await Server.RunAsync(op, "sandbox", "create", "BAD", "--image", "UPPER");

        code.ShouldBe(2);
        stderr.ShouldContain("sandbox.name:");
        stderr.ShouldContain("sandbox.image:");
        var size = await Server.RunAsync(op, "sandbox", "create", "ok", "--image", TestEngines.BaseImage, "--memory", "12q");
        size.Code.ShouldBe(2);
        size.Stderr.ShouldContain("--memory '12q' is not a size");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("sandbox")]
    [InlineData("sandbox", "exec")]
    [InlineData("tenant", "quota")]
    [InlineData("tenant", "isolation")]
    [InlineData("key", "create")]
    [InlineData("snapshot", "list")]
    public async Task Help_shows_examples(params string[] command)
    {
        var (code, stdout, _) = await Server.RunAsync(null, [.. command, "--help"]);

        code.ShouldBe(0);
        stdout.ShouldContain("Examples:");
        stdout.ShouldContain("airlock " + command[0]);
    }
}
