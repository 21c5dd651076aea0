using System.Formats.Tar;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Airlock.Client;
using Airlock.Server.Tests.Breaches;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Client;

/// <summary>
/// Issue 14, item 4: the .NET client (Airlock.Client) against a real server, on both engines and both stores: a whole
/// session (create, list, exec streamed and buffered, files and tars, logs, lifetimes, snapshots, delete), the
/// server's problem details in its exceptions, and a stream left early killing its command.
/// </summary>
public sealed class AirlockClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = 300_000)]
    [MemberData(nameof(Stores.WithEachEngine), MemberType = typeof(Stores))]
    public async Task A_whole_session_through_the_client(string engine, string store)
    {
        await using var server = await ServerHarness.StartAsync(store, engine);
        var tenant = await server.NewTenantAsync("acme");
        using var airlock = Connect(server, tenant.Keys["operator"]);

        var sandbox = await airlock.Sandboxes.CreateAsync(Box("session", labels: new Dictionary<string, string> { ["team"] = "red" }, timeoutSeconds: 3600), Ct);
        sandbox.State.ShouldBe("running");
        sandbox.ExpiresAt.ShouldNotBeNull();
        (await airlock.Sandboxes.GetAsync(sandbox.Id, Ct)).Name.ShouldBe("session");
        (await airlock.Sandboxes.ListAsync(new SandboxQuery(Labels: new Dictionary<string, string> { ["team"] = "red" }), Ct).Select(s => s.Id).ToListAsync(Ct)).ShouldBe([sandbox.Id]);
        (await airlock.Sandboxes.ListAsync(new SandboxQuery(Labels: new Dictionary<string, string> { ["team"] = "blue" }), Ct).ToListAsync(Ct)).ShouldBeEmpty();

        // Streamed: each line is seen while the command waits for the test to have seen it.
        const string script = "i=1; while [ $i -le 2 ]; do echo line $i; while [ ! -e /tmp/go-$i ]; do sleep 0.05; done; i=$((i+1)); done; echo bye >&2; exit 4";
        await using (var events = airlock.Sandboxes.ExecStreamAsync(sandbox.Id, Exec("sh", "-c", script), Ct).GetAsyncEnumerator(Ct))
        {
            for (var i = 1; i <= 2; i++)
            {
                (await events.MoveNextAsync()).ShouldBeTrue();
                events.Current.ShouldBe(new ExecEvent("stdout", $"line {i}\n", null, null, null, null, null));
                (await airlock.Sandboxes.ExecAsync(sandbox.Id, Exec("touch", $"/tmp/go-{i}"), Ct)).ExitCode.ShouldBe(0);
            }

            (await events.MoveNextAsync()).ShouldBeTrue();
            events.Current.Type.ShouldBe("stderr");
            events.Current.Data.ShouldBe("bye\n");
            (await events.MoveNextAsync()).ShouldBeTrue();
            events.Current.Type.ShouldBe("exit");
            events.Current.ExitCode.ShouldBe(4);
            (await events.MoveNextAsync()).ShouldBeFalse();
        }

        var buffered = await airlock.Sandboxes.ExecAsync(sandbox.Id, new ExecBody(["cat"], null, null, "fed in\n", null), Ct);
        buffered.ShouldBe(new ExecResult(0, "fed in\n", "", false, false));

        // One file, streamed both ways, and its bytes checked.
        var bytes = RandomNumberGenerator.GetBytes(3 << 20);
        var uploaded = await airlock.Files.UploadAsync(sandbox.Id, "/tmp/blob.bin", new MemoryStream(bytes), mode: 0x1A0, Ct);
        uploaded.Size.ShouldBe(bytes.Length);
        uploaded.Mode.ShouldEndWith("640");
        await using (var download = await airlock.Files.DownloadAsync(sandbox.Id, "/tmp/blob.bin", Ct))
        {
            (await SHA256.HashDataAsync(download, Ct)).ShouldBe(SHA256.HashData(bytes));
        }

        // A directory as a tar, up and back down.
        await airlock.Files.MakeDirectoryAsync(sandbox.Id, "/tmp/tree/in", parents: true, Ct);
        await airlock.Files.UploadArchiveAsync(sandbox.Id, "/tmp/tree/in", Tar(("a.txt", "alpha\n"), ("sub/b.txt", "beta\n")), Ct);
        (await airlock.Files.ListAsync(sandbox.Id, "/tmp/tree/in", Ct)).Entries.Select(e => e.Name).Order(StringComparer.Ordinal).ShouldBe(["a.txt", "sub"]);
        await airlock.Files.MoveAsync(sandbox.Id, "/tmp/tree/in/a.txt", "/tmp/tree/in/sub/a.txt", Ct);
        await using (var tar = await airlock.Files.DownloadArchiveAsync(sandbox.Id, "/tmp/tree/in/sub", Ct))
        {
            (await ReadTarAsync(tar)).ShouldBe(new Dictionary<string, string> { ["sub/a.txt"] = "alpha\n", ["sub/b.txt"] = "beta\n" });
        }

        (await airlock.Files.StatAsync(sandbox.Id, "/tmp/tree/in/sub", Ct)).Kind.ShouldBe("directory");
        await airlock.Files.DeleteAsync(sandbox.Id, "/tmp/tree", recursive: true, Ct);
        (await airlock.Files.TryStatAsync(sandbox.Id, "/tmp/tree", Ct)).ShouldBeNull();

        // Lifetimes.
        (await airlock.Sandboxes.PauseAsync(sandbox.Id, Ct)).State.ShouldBe("paused");
        (await airlock.Sandboxes.ResumeAsync(sandbox.Id, Ct)).State.ShouldBe("running");
        var extended = await airlock.Sandboxes.SetTimeoutAsync(sandbox.Id, 7200, Ct);
        extended.ExpiresAt!.Value.ShouldBeGreaterThan(sandbox.ExpiresAt!.Value);

        await using (var logs = await airlock.Sandboxes.LogsAsync(sandbox.Id, ct: Ct))
        {
            (await new StreamReader(logs).ReadToEndAsync(Ct)).ShouldContain("session up");
        }

        // Snapshots.
        var snapshot = await airlock.Sandboxes.SnapshotAsync(sandbox.Id, "after-files", Ct);
        (await airlock.Snapshots.ListAsync(Ct).Select(s => s.Id).ToListAsync(Ct)).ShouldBe([snapshot.Id]);
        (await airlock.Snapshots.GetAsync(snapshot.Id, Ct)).Name.ShouldBe("after-files");

        await airlock.Sandboxes.DeleteAsync(sandbox.Id, Ct);
        await airlock.Snapshots.DeleteAsync(snapshot.Id, Ct);
        var gone = await Should.ThrowAsync<AirlockApiException>(() => airlock.Sandboxes.GetAsync(sandbox.Id, Ct));
        gone.Status.ShouldBe(404);
        (await server.ContainerNamesAsync()).ShouldBeEmpty();
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Leaving_a_stream_early_kills_its_command(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        using var airlock = Connect(server, tenant.Keys["operator"]);
        var sandbox = await airlock.Sandboxes.CreateAsync(Box("leave"), Ct);

        await foreach (var e in airlock.Sandboxes.ExecStreamAsync(sandbox.Id, Exec("sh", "-c", "echo started; exec sleep 931"), Ct))
        {
            e.Data.ShouldBe("started\n");
            await SandboxProcesses.RunningAsync(server, sandbox.Id, "sleep 931");
            break;
        }

        await SandboxProcesses.GoneAsync(server, sandbox.Id, "sleep 931");
    }

    [Fact(Timeout = 180_000)]
    public async Task Refusals_carry_the_servers_problem_details_and_every_bad_field()
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, TestEngines.Docker);
        var tenant = await server.NewTenantAsync("acme");
        using var airlock = Connect(server, tenant.Keys["operator"]);

        var bad = await Should.ThrowAsync<AirlockApiException>(() => airlock.Sandboxes.CreateAsync(
            new CreateSandboxBody("Not A Name", "", null, null, null, null, new SandboxLimits(-1, null, null), null, null), Ct));

        bad.Status.ShouldBe(400);
        bad.Problem.ShouldNotBeNull();
        bad.Fields.Select(f => f.Path).ShouldBe(["sandbox.name", "sandbox.image", "sandbox.limits.cpus"], ignoreOrder: true);
        bad.Message.ShouldContain("POST /v1/sandboxes (400)");

        using var viewer = Connect(server, tenant.Keys["viewer"]);
        (await Should.ThrowAsync<AirlockApiException>(() => viewer.Sandboxes.CreateAsync(Box("nope"), Ct))).Status.ShouldBe(403);

        using var revoked = Connect(server, "alk_not_a_key_of_this_server");
        (await Should.ThrowAsync<AirlockApiException>(() => revoked.Sandboxes.ListPageAsync(ct: Ct))).Status.ShouldBe(401);

        var missing = await Should.ThrowAsync<AirlockApiException>(() => airlock.Files.StatAsync("sb000000000000000000000000", "/etc", Ct));
        missing.Status.ShouldBe(404);
        (await airlock.Sandboxes.ListAsync(ct: Ct).ToListAsync(Ct)).ShouldBeEmpty("a refused create leaves nothing behind");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_that_does_not_answer_is_unreachable_with_the_reason()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var airlock = new AirlockClient(new AirlockClientOptions(new Uri($"http://127.0.0.1:{port}"), "alk_x"));

        var error = await Should.ThrowAsync<AirlockUnreachableException>(() => airlock.Sandboxes.ListPageAsync(ct: Ct));

        error.Reason.ShouldContain("connection refused");
        error.Server.ShouldBe(new Uri($"http://127.0.0.1:{port}/"));
    }

    [Fact]
    public void Options_without_a_token_or_with_another_scheme_are_refused_before_any_request()
    {
        Should.Throw<ArgumentException>(() => new AirlockClient(new AirlockClientOptions(new Uri("http://127.0.0.1:1"), " "))).Message.ShouldContain("token is empty");
        Should.Throw<ArgumentException>(() => new AirlockClient(new AirlockClientOptions(new Uri("ftp://127.0.0.1:1"), "alk_x"))).Message.ShouldContain("not an http(s) URL");
    }

    private static AirlockClient Connect(ServerHarness server, string key) => new(new AirlockClientOptions(server.Server.Address, key));

    private static CreateSandboxBody Box(string name, IReadOnlyDictionary<string, string>? labels = null, int? timeoutSeconds = null) =>
        new(name, TestEngines.BaseImage, ["sh", "-c", "echo session up; exec sleep infinity"], null, labels, null, new SandboxLimits(0.25, 64L << 20, null), null, null,
            TimeoutSeconds: timeoutSeconds);

    private static ExecBody Exec(params string[] command) => new(command, null, null, null, null);

    private static MemoryStream Tar(params (string Name, string Text)[] files)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
            }
        }

        tar.Position = 0;
        return tar;
    }

    private static async Task<Dictionary<string, string>> ReadTarAsync(Stream tar)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, Ct) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
            {
                files[entry.Name.TrimStart('.', '/')] = await new StreamReader(data).ReadToEndAsync(Ct);
            }
        }

        return files;
    }
}
