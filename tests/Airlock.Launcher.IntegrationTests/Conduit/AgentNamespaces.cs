using System.Collections.Concurrent;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Conduit;

/// <summary>
/// One namespace per engine built from Conduit/AgentsTemplate (the base template plus real Codex, OpenCode and pi from the
/// npm registry), made on first use through `airlock create namespace` with the template as a user template, and deleted
/// at the end. Tests borrow its image into namespaces of their own, so every test starts from a fresh home.
/// </summary>
public sealed class AgentNamespaces : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SharedNamespace>>> _namespaces = new(StringComparer.Ordinal);
    private readonly string _root = Names.NewScratchDir("conduit-agents");

    public static string TemplateDir => Path.Combine(AirlockBinary.RepoRoot, "tests", "Airlock.Launcher.IntegrationTests", "Conduit", "AgentsTemplate");

    private const string HostCaDir = "/usr/local/share/ca-certificates";

    public Task<SharedNamespace> GetAsync(string engine) =>
        _namespaces.GetOrAdd(engine, e => new Lazy<Task<SharedNamespace>>(() => CreateAsync(e))).Value;

    private async Task<SharedNamespace> CreateAsync(string engine)
    {
        var home = Path.Combine(_root, engine);
        var template = Directory.CreateDirectory(Path.Combine(home, "templates", "conduit-agents")).FullName;
        foreach (var file in Directory.GetFiles(TemplateDir))
        {
            File.Copy(file, Path.Combine(template, Path.GetFileName(file)));
        }

        // The host's added CAs (a TLS-inspecting proxy's), so npm in the build trusts what the host trusts.
        var cas = Directory.CreateDirectory(Path.Combine(template, "host-ca-certificates")).FullName;
        File.WriteAllText(Path.Combine(cas, "README"), "CA certificates the host added, copied in by the conduit tests.\n");
        foreach (var crt in Directory.Exists(HostCaDir) ? Directory.GetFiles(HostCaDir, "*.crt") : [])
        {
            File.Copy(crt, Path.Combine(cas, Path.GetFileName(crt)));
        }

        var name = Names.Namespace();
        var env = new Dictionary<string, string?>
        {
            ["AIRLOCK_ENGINE"] = engine,
            ["AIRLOCK_HOME"] = home,
            ["NO_COLOR"] = "1",
            ["DOCKER_HOST"] = null,
            ["AIRLOCK_BASE_IMAGE"] = null,
        };
        ProcessResult created;
        using (await EngineImageLock.AcquireAsync(engine, asTestUser: false))
        {
            created = await ProcessRunner.RunAsync(AirlockBinary.Path, ["create", "namespace", name, "conduit-agents"], env, _root, timeout: TimeSpan.FromMinutes(20));
        }

        created.ExitCode.ShouldBe(0, $"the {engine} namespace with the agents could not be created:\n{created}");
        return new SharedNamespace(engine, name, home);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _namespaces.Values.Where(l => l.IsValueCreated))
        {
            SharedNamespace ns;
            try
            {
                ns = await lazy.Value;
            }
            catch (Exception ex) when (ex is ShouldAssertException or TimeoutException)
            {
                continue;
            }

            var env = new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = ns.Engine, ["AIRLOCK_HOME"] = ns.AirlockHome, ["NO_COLOR"] = "1" };
            using (await EngineImageLock.AcquireAsync(ns.Engine, asTestUser: false))
            {
                await ProcessRunner.RunAsync(AirlockBinary.Path, ["delete", "namespace", ns.Name, "--force"], env, _root);
                await Engines.RemoveImageAsync(ns.Engine, ns.Image);
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS temp clean-up.
        }
    }
}
