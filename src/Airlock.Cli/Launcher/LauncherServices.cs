using Airlock.Cli.Engines;
using Airlock.Engine;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Paths;

namespace Airlock.Cli.Launcher;

/// <summary>What the launcher commands share: Airlock's paths, the host user, and (on demand) the engine and namespaces.</summary>
public sealed class LauncherServices : IDisposable
{
    private LauncherServices(CliContext context, EngineClient engine)
    {
        Context = context;
        Engine = engine;
        Paths = AirlockPaths.FromEnvironment(context.GetVariable);
        User = HostUser.Current() with { Home = Paths.UserHome };
        Namespaces = new NamespaceManager(Paths, engine, User, context.Time, context.GetVariable(Settings.BaseImageSetting.Variable) is { Length: > 0 } b ? b : null);
    }

    public CliContext Context { get; }
    public EngineClient Engine { get; }
    public AirlockPaths Paths { get; }
    public HostUser User { get; }
    public NamespaceManager Namespaces { get; }

    public static async Task<LauncherServices> ConnectAsync(CliContext context, CancellationToken ct) =>
        new(context, await EngineConnector.ConnectAsync(context, ct));

    public void Dispose() => Engine.Dispose();
}
