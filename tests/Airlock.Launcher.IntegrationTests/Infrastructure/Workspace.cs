using System.Diagnostics;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// One test's world: a scratch dir holding a fake user home (HOME), a project dir (the working dir of every call) and an
/// AIRLOCK_HOME (its own, or the shared namespaces' one). Runs the real airlock there, as root or as the test user.
/// Disposing deletes the namespaces it created (and whatever of theirs is left in the engine) and the scratch dir.
/// </summary>
public sealed class Workspace : IAsyncDisposable
{
    private readonly List<string> _owned = [];

    private Workspace(string engine, string root, string? airlockHome, bool asTestUser)
    {
        Engine = engine;
        Root = root;
        AsTestUser = asTestUser;
        Home = Directory.CreateDirectory(System.IO.Path.Combine(root, "home")).FullName;
        Project = Directory.CreateDirectory(System.IO.Path.Combine(root, "project")).FullName;
        AirlockHome = airlockHome ?? System.IO.Path.Combine(root, "airlock");
    }

    public string Engine { get; }

    /// <summary>The scratch dir everything else is in.</summary>
    public string Root { get; }

    /// <summary>The host user's home as airlock sees it (HOME): what <c>~</c> means on the host side (root's runs only).</summary>
    public string Home { get; }

    /// <summary>The project: the working dir airlock is run from.</summary>
    public string Project { get; }

    public string AirlockHome { get; }

    public string ConfigFile => System.IO.Path.Combine(AirlockHome, "config.yaml");

    /// <summary>True when airlock runs as <see cref="TestUser"/> instead of root.</summary>
    public bool AsTestUser { get; }

    /// <summary>Extra variables for every call (a null value removes one).</summary>
    public Dictionary<string, string?> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>A workspace with its own, empty AIRLOCK_HOME.</summary>
    public static Workspace Create(string engine, bool asTestUser = false) => Make(engine, null, asTestUser);

    /// <summary>A workspace whose AIRLOCK_HOME is the shared namespace's: read it, never change it.</summary>
    public static Workspace Sharing(SharedNamespace shared) => Make(shared.Engine, shared.AirlockHome, asTestUser: false);

    private static Workspace Make(string engine, string? airlockHome, bool asTestUser)
    {
        var root = Names.NewScratchDir("ws");
        var workspace = new Workspace(engine, root, airlockHome, asTestUser);
        if (asTestUser)
        {
            TestUser.EnsureExists();
            Chown(root);
        }

        return workspace;
    }

    /// <summary>The variables airlock gets: the engine, the homes, plain output; nothing of the runner's engine settings.</summary>
    public Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AIRLOCK_ENGINE"] = Engine,
            ["AIRLOCK_HOME"] = AirlockHome,
            // Rootless podman keeps its storage under the real home of the user it runs as: the test user keeps its own.
            ["HOME"] = AsTestUser ? TestUser.Home : Home,
            ["NO_COLOR"] = "1",
            ["DOCKER_HOST"] = null,
            ["AIRLOCK_BASE_IMAGE"] = null,
            ["VISUAL"] = null,
            ["EDITOR"] = null,
        };
        foreach (var (k, v) in Env)
        {
            env[k] = v;
        }

        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            env[k] = v;
        }

        return env;
    }

    public Task<ProcessResult> AirlockAsync(params string[] args) => RunAsync(args);

    /// <summary>Runs airlock to completion from <paramref name="workingDirectory"/> (default: the project).</summary>
    public async Task<ProcessResult> RunAsync(
        IEnumerable<string> args,
        string? stdin = null,
        IReadOnlyDictionary<string, string?>? env = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var list = args.ToList();
        // Builds and image removals wait for each other on podman (see EngineImageLock); the wait is not the command's time.
        using var imageLock = EngineImageLock.MutatesImages(list) ? await EngineImageLock.AcquireAsync(Engine, AsTestUser) : null;
        var (file, argv, environment) = CommandLine(list, env);
        return await ProcessRunner.RunAsync(file, argv, environment, workingDirectory ?? Project, stdin, timeout ?? TimeSpan.FromMinutes(3));
    }

    /// <summary>Starts airlock in the background (stdin a pipe, output discarded); the caller ends it.</summary>
    public Process Start(IEnumerable<string> args)
    {
        var (file, argv, environment) = CommandLine(args, null);
        var process = Process.Start(ProcessRunner.StartInfo(file, argv, environment, Project)) ?? throw new InvalidOperationException("could not start airlock");
        // Drain the pipes so a chatty airlock never blocks on a full one.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    private (string File, List<string> Args, Dictionary<string, string?> Env) CommandLine(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env)
    {
        var environment = Environment(env);
        if (!AsTestUser)
        {
            return (AirlockBinary.Path, args.ToList(), environment);
        }

        var (file, wrapped) = TestUser.Wrap(AirlockBinary.Path, args, environment);
        return (file, wrapped, new Dictionary<string, string?>());
    }

    /// <summary>
    /// A bash script for a tmux pane: the same environment as <see cref="RunAsync"/>, from the project, then
    /// <paramref name="body"/> (where <c>$AIRLOCK</c> is the binary).
    /// </summary>
    public string Script(string body)
    {
        if (AsTestUser)
        {
            throw new NotSupportedException("tmux scripts run as root");
        }

        var lines = new List<string> { "set +e" };
        foreach (var (k, v) in Environment())
        {
            lines.Add(v is null ? $"unset {k}" : $"export {k}={Quote(v)}");
        }

        lines.Add($"AIRLOCK={Quote(AirlockBinary.Path)}");
        lines.Add($"cd {Quote(Project)}");
        lines.Add(body);
        return string.Join('\n', lines) + "\n";
    }

    public static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A fresh namespace name this workspace deletes on dispose.</summary>
    public string NewNamespaceName()
    {
        var name = Names.Namespace();
        _owned.Add(name);
        return name;
    }

    /// <summary>Marks a namespace made some other way (bootstrap, --create) as this workspace's to delete.</summary>
    public void Own(string name) => _owned.Add(name);

    /// <summary>Creates a namespace from <paramref name="template"/> and fails the test if that does not work.</summary>
    public async Task<string> CreateNamespaceAsync(string template = "base")
    {
        var name = NewNamespaceName();
        (await RunAsync(["create", "namespace", name, template], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();
        return name;
    }

    /// <summary>Writes a file below the scratch dir (creating parent dirs, owned by the test user when airlock runs as it).</summary>
    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Root, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (AsTestUser)
        {
            Chown(Root);
        }

        return full;
    }

    public string ReadConfig() => File.ReadAllText(ConfigFile);

    /// <summary>The image airlock gives namespace <paramref name="ns"/> in this workspace (its AIRLOCK_HOME, its user).</summary>
    public string Image(string ns) => Names.Image(ns, AirlockHome, AsTestUser ? TestUser.Uid : 0);

    /// <summary>Files under AIRLOCK_HOME (namespace homes, state, records) that hold <paramref name="text"/>; larger files (images' layers) are skipped.</summary>
    public IReadOnlyList<string> FilesHolding(string text) =>
        Directory.EnumerateFiles(AirlockHome, "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 16 * 1024 * 1024 && File.ReadAllText(f).Contains(text, StringComparison.Ordinal))
            .ToList();

    public string NamespaceHome(string ns) => System.IO.Path.Combine(AirlockHome, "namespaces", ns);

    public string BuildDir(string ns) => System.IO.Path.Combine(AirlockHome, "containers", ns);

    /// <summary>
    /// Adds a namespace to this workspace's own config that uses the shared namespace's image, with settings of the
    /// test's own (<paramref name="settingsYaml"/>, indented as under the namespace). Config is the documented way to
    /// say what a namespace is, so this is a namespace like any other, minus the build.
    /// </summary>
    public string BorrowNamespace(SharedNamespace shared, string settingsYaml = "")
    {
        if (!AirlockHome.StartsWith(Root + "/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("borrow into a workspace's own AIRLOCK_HOME, never the shared one");
        }

        var name = Names.Namespace();
        Directory.CreateDirectory(NamespaceHome(name));
        var buildDir = Directory.CreateDirectory(System.IO.Path.Combine(Root, "borrowed-build", name)).FullName;
        var indented = string.Join('\n', settingsYaml.Split('\n').Where(l => l.Trim().Length > 0).Select(l => "    " + l));
        var existing = File.Exists(ConfigFile) ? File.ReadAllText(ConfigFile) : "namespaces:\n";
        Write(ConfigFile, existing.TrimEnd('\n') + $"\n  {name}:\n    image: {shared.Image}\n    buildDir: {buildDir}/\n{indented}\n");
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in _owned)
        {
            if (File.Exists(ConfigFile) && File.ReadAllText(ConfigFile).Contains($"  {ns}:", StringComparison.Ordinal))
            {
                await RunAsync(["delete", "namespace", ns, "--force"]);
            }

            // Whatever a failed test left: sessions of the namespace, and its image.
            await Engines.RemoveContainersAsync(Engine, AsTestUser, await Engines.ContainersAsync(Engine, AsTestUser, $"io.airlock.namespace={ns}"));
            using (await EngineImageLock.AcquireAsync(Engine, AsTestUser))
            {
                await Engines.RemoveImageAsync(Engine, Image(ns), AsTestUser);
            }
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS temp clean-up; never worth failing a test over.
        }
    }

    private static void Chown(string path) =>
        ProcessRunner.Run("chown", ["-R", $"{TestUser.Uid}:{TestUser.Uid}", path]).ShouldSucceed();
}
