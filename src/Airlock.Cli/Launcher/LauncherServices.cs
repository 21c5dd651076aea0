using Airlock.Cli.Engines;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Cli.Launcher;

/// <summary>What the launcher commands share: Airlock's paths, the host user, and (on demand) the engine's sandboxes and namespaces.</summary>
public sealed class LauncherServices : IDisposable
{
    private LauncherServices(CliContext context, ISandboxRuntime runtime)
    {
        Context = context;
        Runtime = runtime;
        Paths = AirlockPaths.FromEnvironment(context.GetVariable);
        User = HostUser.Current() with { Home = Paths.UserHome };
        Namespaces = new NamespaceManager(Paths, runtime, User, context.Time, context.GetVariable(Settings.BaseImageSetting.Variable) is { Length: > 0 } b ? b : null);
    }

    public CliContext Context { get; }
    public ISandboxRuntime Runtime { get; }
    public AirlockPaths Paths { get; }
    public HostUser User { get; }
    public NamespaceManager Namespaces { get; }

    public static async Task<LauncherServices> ConnectAsync(CliContext context, CancellationToken ct) =>
        new(context, await EngineConnector.ConnectAsync(context, ct));

    public void Dispose() => Runtime.Dispose();
}
