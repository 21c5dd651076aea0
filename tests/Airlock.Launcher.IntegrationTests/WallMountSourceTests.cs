using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 10, item 9: the engine-socket guard looked at a volume's path as written, so a link to /run/podman, or
/// /proc/self/root (the host's /), passed and gave the sandbox the engine. Sources are checked (and mounted) with every
/// link resolved, and /proc, /sys, /dev and Airlock's state directory are refused, from flags and config alike.
/// </summary>
public sealed class WallMountSourceTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Volumes_reaching_an_engine_the_kernel_or_the_state_directory_are_refused_however_they_are_written(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        // Where each engine's socket is (/var/run is itself a link to /run).
        var engineDir = engine == Engines.Podman ? "/run/podman" : "/run";
        var toEngine = Link(ws, "link-to-engine", engineDir);
        var toState = Link(ws, "link-to-state", ws.AirlockHome);
        var toConfig = Link(ws, "link-to-config", ws.ConfigFile);
        var before = await StateSnapshot.TakeAsync(ws, ns);

        var cases = new Dictionary<string, string[]>
        {
            [$"{toEngine}:/x"] = [$"(which is {engineDir})", "engine socket"],
            ["/proc/self/root:/x"] = ["/proc/self/root", "/proc, /sys or /dev"],
            ["/proc/1/root/etc:/x"] = ["/proc, /sys or /dev"],
            ["/sys:/x"] = ["/proc, /sys or /dev"],
            ["/dev:/x"] = ["/proc, /sys or /dev"],
            [$"{ws.AirlockHome}:/x"] = ["Airlock's state directory"],
            [$"{toState}/namespaces:/x"] = ["Airlock's state directory"],
            [$"{toConfig}:/etc/airlock.yaml:ro"] = ["Airlock's state directory"],
        };
        foreach (var (volume, fragments) in cases)
        {
            (await ws.AirlockAsync(ns, "-v", volume, "true")).ShouldBeUserError([$"--volume '{volume}'", .. fragments]);
        }

        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, ns), "refused launches");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_config_volume_through_a_link_is_refused_naming_its_setting(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var toEngine = Link(ws, "link-to-run", "/run");
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine), $"volumes: [\"{toEngine}:/hostrun\"]");

        (await ws.AirlockAsync(ns, "true")).ShouldBeUserError($"namespaces.{ns}.volumes[0]", "(which is /run)", "engine socket");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_volume_through_a_harmless_link_is_mounted_from_where_it_points(string engine)
    {
        await using var ws = Workspace.Create(engine);
        var ns = ws.BorrowNamespace(await shared.GetAsync(engine));
        var data = Directory.CreateDirectory(Path.Combine(ws.Root, "data")).FullName;
        File.WriteAllText(Path.Combine(data, "file"), "through the link\n");
        var link = Link(ws, "link-to-data", data);

        var result = (await ws.AirlockAsync(ns, "-v", $"{link}:/data:ro", "cat", "/data/file")).ShouldSucceed();

        result.Stdout.ShouldBe("through the link\n");
    }

    /// <summary>A symbolic link in the scratch dir, as a sandbox could have left in a project.</summary>
    private static string Link(Workspace ws, string name, string target)
    {
        var path = Path.Combine(ws.Root, name);
        File.CreateSymbolicLink(path, target);
        return path;
    }
}
