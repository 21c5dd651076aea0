using System.Formats.Tar;
using Airlock.Engine.Errors;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Tests.Runtime;

/// <summary>
/// <see cref="ISandboxRuntime.StatPathAsync"/> and <see cref="ISandboxRuntime.WriteArchiveAsync"/> answer the same on
/// both engines, where their archive APIs differ: podman names a link after its target, fills linkTarget for every
/// path, answers 404 for a dangling link, and makes a missing directory on PUT (design/files-api.md).
/// </summary>
[Trait("Category", "Integration")]
public sealed class SandboxPathEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [InlineData(Engines.Podman)]
    [InlineData(Engines.Docker)]
    public async Task Stat_and_archive_writes_answer_the_same_on_both_engines(string engine)
    {
        using var client = await Engines.ConnectAsync(engine);
        var runtime = new EngineSandboxRuntime(client);
        var id = await runtime.CreateAsync(new SandboxCreate
        {
            Spec = new SandboxSpec
            {
                Image = Engines.BaseImage,
                Command = ["sleep", "infinity"],
                Labels = new Dictionary<string, string> { [Engines.RunLabel] = "sandboxes-paths" },
            },
            Name = $"airlock-test-paths-{Guid.NewGuid():N}"[..40],
            Owner = new SandboxOwner { Role = SandboxOwner.Roles.Server },
        }, Ct);
        try
        {
            await runtime.StartAsync(id, Ct);
            var made = await runtime.RunAsync(
                id, new() { Command = ["sh", "-c", "mkdir /tmp/d && echo hi > /tmp/d/a && ln -s a /tmp/d/rel && ln -s / /tmp/out && ln -s /nowhere /tmp/dangling"] }, null, Ct);
            made.ExitCode.ShouldBe(0, made.Stderr);

            var file = (await runtime.StatPathAsync(id, "/tmp/d/a", Ct))!;
            (file.Name, file.Kind, file.Size, file.Mode, file.LinkTarget).ShouldBe(("a", SandboxPathKind.File, 3L, 0x1A4, (string?)null));
            var dir = (await runtime.StatPathAsync(id, "/tmp/d", Ct))!;
            (dir.Name, dir.Kind, dir.LinkTarget).ShouldBe(("d", SandboxPathKind.Directory, (string?)null));
            var rel = (await runtime.StatPathAsync(id, "/tmp/d/rel", Ct))!;
            (rel.Name, rel.Kind, rel.LinkTarget).ShouldBe(("rel", SandboxPathKind.Symlink, "/tmp/d/a"));
            var root = (await runtime.StatPathAsync(id, "/tmp/out", Ct))!;
            (root.Name, root.Kind, root.LinkTarget).ShouldBe(("out", SandboxPathKind.Symlink, "/"));
            var dangling = (await runtime.StatPathAsync(id, "/tmp/dangling", Ct))!;
            (dangling.Name, dangling.Kind).ShouldBe(("dangling", SandboxPathKind.Symlink));
            (await runtime.StatPathAsync(id, "/tmp/missing", Ct)).ShouldBeNull();
            (await runtime.StatPathAsync(id, "/tmp/missing/deeper", Ct)).ShouldBeNull();

            // Into a missing directory: 404 on both (podman would make it); into a link to a directory: through it, inside.
            await Should.ThrowAsync<EngineNotFoundException>(() => runtime.WriteArchiveAsync(id, "/tmp/new-dir", OneFile("x"), Ct));
            (await runtime.StatPathAsync(id, "/tmp/new-dir", Ct)).ShouldBeNull();
            await runtime.WriteArchiveAsync(id, "/tmp/out", OneFile("via-link"), Ct);
            (await runtime.StatPathAsync(id, "/via-link", Ct))!.Kind.ShouldBe(SandboxPathKind.File);
        }
        finally
        {
            await runtime.RemoveAsync(id, RemoveMode.Wait, CancellationToken.None);
        }
    }

    private static MemoryStream OneFile(string name)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("data"u8.ToArray()) });
        }

        tar.Position = 0;
        return tar;
    }
}
