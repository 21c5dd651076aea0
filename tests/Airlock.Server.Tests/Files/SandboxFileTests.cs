using System.Formats.Tar;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Airlock.Server.Tests.Infrastructure;
using Airlock.Tests.Support;

namespace Airlock.Server.Tests.Files;

/// <summary>/v1/sandboxes/{id}/files on the real engines: bytes in and out, trees as tars, and every way out refused or confined.</summary>
public sealed class SandboxFileTests
{
    private const string Tar = "application/x-tar";

    [Theory(Timeout = 300_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_100_MB_file_round_trips_streamed_with_the_same_sha256(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await CreateAsync(tenant);

        // Made and hashed as it is sent, hashed as it comes back: no copy of the 100 MB is held by the test.
        const long size = 100L * 1024 * 1024;
        await using var sent = new GeneratedStream(size, seed: 14);
        using var upload = new StreamContent(sent, 81920);
        upload.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        upload.Headers.ContentLength = size;
        var written = await Expect.JsonAsync(await tenant.Operator.PutAsync($"/v1/sandboxes/{id}/files?path=/tmp/big.bin&mode=0600", upload, Ct), 200);
        written["size"]!.GetValue<long>().ShouldBe(size);
        written["kind"]!.GetValue<string>().ShouldBe("file");
        written["mode"]!.GetValue<string>().ShouldBe("0600");

        using var response = await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/files?path=/tmp/big.bin", HttpCompletionOption.ResponseHeadersRead, Ct);
        await Expect.StatusAsync(response, 200);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        response.Content.Headers.ContentLength.ShouldBe(size);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        (await GeneratedStream.HashAsync(body, Ct)).ShouldBe(sent.Sha256);
        (await ServerHarness.ExecAsync(tenant.Operator, id, "sha256sum", "/tmp/big.bin")).ShouldStartWith(sent.Sha256);

        // A body without a length (chunked) is taken too, and replaces the file.
        using var chunked = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes("replaced\n")));
        await Expect.StatusAsync(await tenant.Operator.PutAsync($"/v1/sandboxes/{id}/files?path=/tmp/big.bin", chunked, Ct), 200);
        (await tenant.Viewer.GetStringAsync($"/v1/sandboxes/{id}/files?path=/tmp/big.bin", Ct)).ShouldBe("replaced\n");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.AtEveryLevel), MemberType = typeof(TestEngines))]
    public async Task Files_work_at_the_container_level_and_are_refused_at_the_gvisor_level(string engine, string isolation)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.SandboxAt("files", isolation), Ct), 201))["id"]!.GetValue<string>();
        var files = $"/v1/sandboxes/{id}/files";
        if (isolation == "gvisor")
        {
            // gVisor's overlay is out of the archive API's sight: refused with a way forward, never half-working.
            foreach (var response in new[]
            {
                await tenant.Operator.PutAsync($"{files}?path=/tmp/level.txt", new StringContent("x"), Ct),
                await tenant.Viewer.GetAsync($"{files}/list?path=/tmp", Ct),
            })
            {
                (await Expect.ProblemAsync(response, 409))["detail"]!.GetValue<string>().ShouldContain("gvisor isolation level");
            }

            return;
        }

        await PutTextAsync(tenant, id, "/tmp/level.txt", isolation);
        (await tenant.Viewer.GetStringAsync($"{files}?path=/tmp/level.txt", Ct)).ShouldBe(isolation);
        (await ServerHarness.ExecAsync(tenant.Operator, id, "cat", "/tmp/level.txt")).ShouldBe(isolation);
        await Expect.StatusAsync(await tenant.Operator.PutAsync($"{files}/archive?path=/tmp", TarContent(Tars.Build(w => w.File("from-tar.txt", "tar"))), Ct), 204);
        var list = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"{files}/list?path=/tmp", Ct), 200);
        list["entries"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ShouldBe(["from-tar.txt", "level.txt"], ignoreOrder: true);
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"{files}/stat?path=/tmp/from-tar.txt", Ct), 200))["size"]!.GetValue<long>().ShouldBe(3);
        (await Tars.ReadAsync(await tenant.Viewer.GetStreamAsync($"{files}/archive?path=/tmp/from-tar.txt", Ct), Ct))["from-tar.txt"].ShouldBe("tar");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task A_directory_tree_round_trips_as_a_tar_owned_by_the_sandbox_user_without_setuid(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await CreateAsync(tenant);
        await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"/v1/sandboxes/{id}/files/mkdir", new { path = "/tmp/work/in", parents = true }, Ct), 200);

        var tar = Tars.Build(w =>
        {
            w.Dir("tree/");
            w.File("tree/a.txt", "alpha\n");
            w.Dir("tree/sub/");
            w.File("tree/sub/b.txt", "beta\n", mode: (UnixFileMode)0x9ED /* 04755 */, uid: 1234);
            w.Link("tree/sub/to-a", "../a.txt");
        });
        await Expect.StatusAsync(await tenant.Operator.PutAsync($"/v1/sandboxes/{id}/files/archive?path=/tmp/work/in", TarContent(tar), Ct), 204);

        (await ServerHarness.ExecAsync(tenant.Operator, id, "stat", "-c", "%a %u", "/tmp/work/in/tree/sub/b.txt")).ShouldBe("755 0\n");
        (await ServerHarness.ExecAsync(tenant.Operator, id, "cat", "/tmp/work/in/tree/sub/to-a")).ShouldBe("alpha\n");

        using var back = await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/files/archive?path=/tmp/work/in/tree", HttpCompletionOption.ResponseHeadersRead, Ct);
        await Expect.StatusAsync(back, 200);
        back.Content.Headers.ContentType!.MediaType.ShouldBe(Tar);
        var entries = await Tars.ReadAsync(await back.Content.ReadAsStreamAsync(Ct), Ct);
        entries["tree"].ShouldBe("dir");
        entries["tree/a.txt"].ShouldBe("alpha\n");
        entries["tree/sub"].ShouldBe("dir");
        entries["tree/sub/b.txt"].ShouldBe("beta\n");
        entries["tree/sub/to-a"].ShouldBe("-> ../a.txt");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Stores.Both), MemberType = typeof(Stores))]
    public async Task List_stat_mkdir_move_and_delete(string store)
    {
        await using var server = await ServerHarness.StartAsync(store);
        var tenant = await server.NewTenantAsync("acme");
        var id = await CreateAsync(tenant);
        var files = $"/v1/sandboxes/{id}/files";

        var made = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"{files}/mkdir", new { path = "/data/a/b", parents = true }, Ct), 200);
        made["kind"]!.GetValue<string>().ShouldBe("directory");
        await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"{files}/mkdir", new { path = "/data/a/b", parents = true }, Ct), 200);
        (await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"{files}/mkdir", new { path = "/data/a/b" }, Ct), 409))["detail"]!.GetValue<string>().ShouldContain("/data/a/b");
        (await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"{files}/mkdir", new { path = "/data/x/y" }, Ct), 404))["detail"]!.GetValue<string>().ShouldContain("mkdir.path");

        await PutTextAsync(tenant, id, "/data/a/one.txt", "one\n");
        await ServerHarness.ExecAsync(tenant.Operator, id, "ln", "-s", "one.txt", "/data/a/link");

        var stat = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"{files}/stat?path=/data/a/one.txt", Ct), 200);
        stat["name"]!.GetValue<string>().ShouldBe("one.txt");
        stat["kind"]!.GetValue<string>().ShouldBe("file");
        stat["size"]!.GetValue<long>().ShouldBe(4);
        stat["mode"]!.GetValue<string>().ShouldBe("0644");
        var link = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"{files}/stat?path=/data/a/link", Ct), 200);
        link["name"]!.GetValue<string>().ShouldBe("link");
        link["kind"]!.GetValue<string>().ShouldBe("symlink");
        link["linkTarget"]!.GetValue<string>().ShouldBe("/data/a/one.txt");

        var list = await Expect.JsonAsync(await tenant.Viewer.GetAsync($"{files}/list?path=/data/a", Ct), 200);
        var entries = list["entries"]!.AsArray().Select(e => $"{e!["name"]} {e["kind"]} {e["size"]}").ToList();
        entries.ShouldBe(["b directory 4096", "link symlink 7", "one.txt file 4"]);
        list["entries"]![1]!["linkTarget"]!.GetValue<string>().ShouldBe("one.txt");

        var moved = await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync($"{files}/move", new { from = "/data/a/one.txt", to = "/data/a/b/two.txt" }, Ct), 200);
        moved["path"]!.GetValue<string>().ShouldBe("/data/a/b/two.txt");
        (await tenant.Viewer.GetStringAsync($"{files}?path=/data/a/b/two.txt", Ct)).ShouldBe("one\n");
        (await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"{files}/move", new { from = "/data/a/one.txt", to = "/data/z" }, Ct), 404))["detail"]!.GetValue<string>().ShouldContain("move.from: /data/a/one.txt");

        (await Expect.ProblemAsync(await tenant.Operator.DeleteAsync($"{files}?path=/data/a", Ct), 409))["detail"]!.GetValue<string>().ShouldContain("recursive=true");
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"{files}?path=/data/a/link", Ct), 204);
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"{files}?path=/data/a&recursive=true", Ct), 204);
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}/stat?path=/data/a", Ct), 404))["detail"]!.GetValue<string>().ShouldContain("query.path: /data/a does not exist");
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Links_the_sandbox_plants_never_reach_the_host(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await CreateAsync(tenant);
        var files = $"/v1/sandboxes/{id}/files";

        // A directory and a file that exist only on the host, and names the host does not have.
        var hostDir = Path.Combine(server.Dir, "host-only");
        Directory.CreateDirectory(hostDir);
        await File.WriteAllTextAsync(Path.Combine(hostDir, "secret"), "host secret", Ct);
        var unique = "planted-" + Guid.NewGuid().ToString("N")[..8];
        await ServerHarness.ExecAsync(tenant.Operator, id, "sh", "-c", $"ln -s / /tmp/out && ln -s {hostDir} /tmp/hostlink && ln -s {hostDir}/secret /tmp/secretlink");

        // Reads through the links resolve in the sandbox: its own /etc/hostname, and nothing for the host-only paths.
        var sandboxHostname = await ServerHarness.ExecAsync(tenant.Operator, id, "cat", "/etc/hostname");
        (await tenant.Viewer.GetStringAsync($"{files}?path=/tmp/out/etc/hostname", Ct)).ShouldBe(sandboxHostname);
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}?path=/tmp/hostlink/secret", Ct), 404))["detail"]!.GetValue<string>().ShouldContain("/tmp/hostlink/secret");
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}?path=/tmp/secretlink", Ct), 404))["detail"]!.GetValue<string>().ShouldContain("/tmp/secretlink");
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}/archive?path=/tmp/hostlink", Ct), 404);
        await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}/list?path=/tmp/hostlink", Ct), 404);
        var etc = await Tars.ReadAsync(await tenant.Viewer.GetStreamAsync($"{files}/archive?path=/tmp/out/etc", Ct), Ct);
        etc["etc/hostname"].ShouldBe(sandboxHostname);

        // Writes through them land in the sandbox, never on the host.
        await PutTextAsync(tenant, id, $"/tmp/out/tmp/{unique}", "inside");
        (await ServerHarness.ExecAsync(tenant.Operator, id, "cat", $"/tmp/{unique}")).ShouldBe("inside");
        File.Exists($"/tmp/{unique}").ShouldBeFalse();
        await Expect.ProblemAsync(await tenant.Operator.PutAsync($"{files}?path=/tmp/hostlink/written", new StringContent("x"), Ct), 404);
        await Expect.ProblemAsync(await tenant.Operator.PutAsync($"{files}/archive?path=/tmp/hostlink", TarContent(Tars.Build(w => w.File("written", "x"))), Ct), 404);
        await Expect.StatusAsync(await tenant.Operator.PutAsync($"{files}/archive?path=/tmp/out", TarContent(Tars.Build(w => w.File($"tmp/{unique}.tar", "tar inside"))), Ct), 204);
        (await ServerHarness.ExecAsync(tenant.Operator, id, "cat", $"/tmp/{unique}.tar")).ShouldBe("tar inside");
        File.Exists($"/tmp/{unique}.tar").ShouldBeFalse();
        Directory.GetFileSystemEntries(hostDir).Select(Path.GetFileName).ShouldBe(["secret"]);
        (await File.ReadAllTextAsync(Path.Combine(hostDir, "secret"), Ct)).ShouldBe("host secret");

        // Deleting a link deletes the link, not what it points to.
        await Expect.StatusAsync(await tenant.Operator.DeleteAsync($"{files}?path=/tmp/out&recursive=true", Ct), 204);
        (await ServerHarness.ExecAsync(tenant.Operator, id, "cat", "/etc/hostname")).ShouldBe(sandboxHostname);
    }

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(TestEngines.Both), MemberType = typeof(TestEngines))]
    public async Task Hostile_tar_entries_are_refused_naming_the_entry(string engine)
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, engine);
        var tenant = await server.NewTenantAsync("acme");
        var id = await CreateAsync(tenant);
        var archive = $"/v1/sandboxes/{id}/files/archive?path=/tmp";

        async Task RefusedAsync(byte[] tar, string entry, string why)
        {
            var problem = await Expect.ProblemAsync(await tenant.Operator.PutAsync(archive, TarContent(tar), Ct), 400);
            problem["detail"]!.GetValue<string>().ShouldContain(entry);
            problem["detail"]!.GetValue<string>().ShouldContain(why);
        }

        await RefusedAsync(Tars.Build(w => w.File("../escape", "x")), "body.entries[0]", "'..'");
        await RefusedAsync(Tars.Build(w => { w.File("ok", "x"); w.File("a/../../escape", "x"); }), "body.entries[1]", "'..'");
        await RefusedAsync(Tars.Build(w => w.File("/etc/evil", "x")), "body.entries[0]", "absolute");
        await RefusedAsync(Tars.Build(w => w.Link("hard", "/etc/shadow", TarEntryType.HardLink)), "body.entries[0]", "hard link");
        await RefusedAsync(Tars.Build(w => w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "null") { DeviceMajor = 1, DeviceMinor = 3 })), "body.entries[0]", "device");
        await RefusedAsync(Tars.Build(w => { w.Link("lnk", "/etc"); w.File("lnk/evil", "x"); }), "body.entries[1]", "symbolic link");
        (await ServerHarness.ExecAsync(tenant.Operator, id, "sh", "-c", "ls /etc/evil /escape /tmp/escape 2>&1; true")).ShouldNotContain("evil\n");
        (await ServerHarness.ExecAsync(tenant.Operator, id, "sh", "-c", "test -e /etc/evil || test -e /escape || echo clean")).ShouldBe("clean\n");
        (await Expect.ProblemAsync(await tenant.Operator.PutAsync(archive, TarContent(Encoding.UTF8.GetBytes(new string('x', 2048))), Ct), 400))
            ["detail"]!.GetValue<string>().ShouldContain("not a valid tar");
    }

    [Fact(Timeout = 180_000)]
    public async Task Bad_paths_are_400_naming_the_field_and_the_path()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var id = await CreateAsync(tenant);
        var files = $"/v1/sandboxes/{id}/files";

        foreach (var (query, expected) in new[]
        {
            ("path=/tmp/../etc/passwd", "'..'"),
            ("path=..%2Fetc", "not absolute"),
            ("path=etc/passwd", "not absolute"),
            ("path=/tmp/a%00b", "NUL"),
            ("path=/" + new string('a', 300), "longer than 255 bytes"),
            ("path=/" + string.Join('/', Enumerable.Repeat("abcdefgh", 600)), "at most 4096"),
            ("", "is required"),
            ("path=/proc/1/environ", "kernel's interface"),
            ("path=/sys/kernel/notes", "kernel's interface"),
            ("path=//dev/./null", "kernel's interface"),
        })
        {
            var problem = await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}?{query}", Ct), 400);
            problem["detail"]!.GetValue<string>().ShouldContain("query.path");
            problem["detail"]!.GetValue<string>().ShouldContain(expected);
        }

        // A link the sandbox makes to the kernel's interfaces is refused as the path itself would be.
        await ServerHarness.ExecAsync(tenant.Operator, id, "sh", "-c", "ln -s /proc/1/environ /tmp/env && ln -s /proc/sys/kernel /tmp/kernel");
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}?path=/tmp/env", Ct), 400))["detail"]!.GetValue<string>().ShouldContain("kernel's interface");
        (await Expect.ProblemAsync(await tenant.Operator.PutAsync($"{files}?path=/tmp/kernel/core_pattern", new StringContent("|/tmp/x"), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("kernel's interface");
        (await Expect.ProblemAsync(await tenant.Operator.PutAsync($"{files}/archive?path=/tmp/kernel", TarContent(Tars.Build(w => w.File("core_pattern", "|/tmp/x"))), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("kernel's interface");

        (await Expect.ProblemAsync(await tenant.Operator.PutAsync($"{files}?path=/tmp/x&mode=4755", new StringContent("x"), Ct), 400))["detail"]!.GetValue<string>().ShouldContain("query.mode");
        (await Expect.ProblemAsync(await tenant.Operator.PostAsJsonAsync($"{files}/move", new { from = "/tmp/../x", to = "rel" }, Ct), 400))["detail"]!.GetValue<string>()
            .ShouldSatisfyAllConditions(d => d.ShouldContain("move.from"), d => d.ShouldContain("move.to"));
        (await Expect.ProblemAsync(await tenant.Operator.DeleteAsync($"{files}?path=/&recursive=true", Ct), 400))["detail"]!.GetValue<string>().ShouldContain("root");
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}?path=/tmp", Ct), 400))["detail"]!.GetValue<string>().ShouldContain("/files/archive?path=/tmp");
        (await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"{files}?path=/tmp/nothing-here", Ct), 404))["detail"]!.GetValue<string>().ShouldContain("query.path: /tmp/nothing-here does not exist");
        (await Expect.ProblemAsync(await tenant.Operator.PutAsync($"{files}?path=/nowhere/x", new StringContent("x"), Ct), 404))["detail"]!.GetValue<string>().ShouldContain("/nowhere");
        (await Expect.ProblemAsync(await tenant.Operator.PutAsync($"{files}/archive?path=/nowhere", TarContent(Tars.Build(w => w.File("x", "x"))), Ct), 404))["detail"]!.GetValue<string>().ShouldContain("/nowhere");
    }

    [Fact(Timeout = 180_000)]
    public async Task Uploads_over_1_GiB_and_listings_over_10000_entries_are_413_naming_the_limit()
    {
        await using var server = await ServerHarness.StartAsync();
        var tenant = await server.NewTenantAsync("acme");
        var id = await CreateAsync(tenant);

        // Announced lengths over the bound are refused before a byte of the body is read.
        foreach (var route in new[] { "files?path=/tmp/big", "files/archive?path=/tmp" })
        {
            var (status, body) = await RawPutHeadAsync(server, tenant.Keys["operator"], $"/v1/sandboxes/{id}/{route}", (1L << 30) + 1);
            status.ShouldBe(413);
            body.ShouldContain("1073741824 bytes");
            body.ShouldContain("MaxUploadBytes");
        }

        await ServerHarness.ExecAsync(tenant.Operator, id, "sh", "-c", "mkdir /tmp/many && cd /tmp/many && seq 1 10001 | xargs touch");
        var problem = await Expect.ProblemAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/files/list?path=/tmp/many", Ct), 413);
        problem["detail"]!.GetValue<string>().ShouldContain("10000");
        problem["detail"]!.GetValue<string>().ShouldContain("/tmp/many");
        await ServerHarness.ExecAsync(tenant.Operator, id, "rm", "/tmp/many/1");
        (await Expect.JsonAsync(await tenant.Viewer.GetAsync($"/v1/sandboxes/{id}/files/list?path=/tmp/many", Ct), 200))["entries"]!.AsArray().Count.ShouldBe(10_000);
    }

    [Fact(Timeout = 180_000)]
    public async Task Another_tenants_sandbox_is_404_and_a_viewer_cannot_write()
    {
        await using var server = await ServerHarness.StartAsync();
        var acme = await server.NewTenantAsync("acme");
        var other = await server.NewTenantAsync("other");
        var id = await CreateAsync(acme);
        await PutTextAsync(acme, id, "/tmp/mine.txt", "mine");
        var files = $"/v1/sandboxes/{id}/files";

        foreach (var response in new[]
        {
            await other.Operator.GetAsync($"{files}?path=/tmp/mine.txt", Ct),
            await other.Operator.GetAsync($"{files}/archive?path=/tmp", Ct),
            await other.Operator.GetAsync($"{files}/list?path=/tmp", Ct),
            await other.Operator.PutAsync($"{files}?path=/tmp/theirs.txt", new StringContent("x"), Ct),
            await other.Operator.DeleteAsync($"{files}?path=/tmp/mine.txt", Ct),
        })
        {
            (await Expect.ProblemAsync(response, 404))["detail"]!.GetValue<string>().ShouldContain("does not exist in tenant 'other'");
        }

        foreach (var response in new[]
        {
            await acme.Viewer.PutAsync($"{files}?path=/tmp/viewer.txt", new StringContent("x"), Ct),
            await acme.Viewer.PutAsync($"{files}/archive?path=/tmp", TarContent(Tars.Build(w => w.File("viewer.txt", "x"))), Ct),
            await acme.Viewer.DeleteAsync($"{files}?path=/tmp/mine.txt", Ct),
            await acme.Viewer.PostAsJsonAsync($"{files}/mkdir", new { path = "/tmp/viewer" }, Ct),
            await acme.Viewer.PostAsJsonAsync($"{files}/move", new { from = "/tmp/mine.txt", to = "/tmp/viewer.txt" }, Ct),
        })
        {
            await Expect.ProblemAsync(response, 403);
        }

        using var anonymous = server.Client(null);
        await Expect.ProblemAsync(await anonymous.GetAsync($"{files}?path=/tmp/mine.txt", Ct), 401);
        await Expect.ProblemAsync(await anonymous.PutAsync($"{files}?path=/tmp/anon.txt", new StringContent("x"), Ct), 401);

        (await acme.Viewer.GetStringAsync($"{files}?path=/tmp/mine.txt", Ct)).ShouldBe("mine");
        (await ServerHarness.ExecAsync(acme.Operator, id, "ls", "/tmp")).ShouldNotContain("viewer");
    }

    private static async Task<string> CreateAsync(TestTenant tenant) =>
        (await Expect.JsonAsync(await tenant.Operator.PostAsJsonAsync("/v1/sandboxes", ServerHarness.Sandbox("files"), Ct), 201))["id"]!.GetValue<string>();

    private static async Task PutTextAsync(TestTenant tenant, string id, string path, string text) =>
        await Expect.StatusAsync(await tenant.Operator.PutAsync($"/v1/sandboxes/{id}/files?path={Uri.EscapeDataString(path)}", new StringContent(text), Ct), 200);

    private static ByteArrayContent TarContent(byte[] tar)
    {
        var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue(Tar);
        return content;
    }

    /// <summary>Sends only the head of a PUT announcing <paramref name="length"/> bytes, and reads the answer.</summary>
    private static async Task<(int Status, string Body)> RawPutHeadAsync(ServerHarness server, string key, string path, long length)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Server.Address.Host, server.Server.Address.Port, Ct);
        await using var stream = tcp.GetStream();
        var head = $"PUT {path} HTTP/1.1\r\nHost: {server.Server.Address.Authority}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync(Ct);
        return (int.Parse(answer.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), answer);
    }

    /// <summary>A body HttpClient cannot measure, so it is sent chunked.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
