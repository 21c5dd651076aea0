using Airlock.Engine.Identity;
using Airlock.Launcher.Config;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Launch;
using Airlock.Launcher.Tests.Infrastructure;
using Airlock.Sandboxes.Paths;

namespace Airlock.Launcher.Tests.Launch;

/// <summary>A fake host for planning launches: a home, an airlock root and a project dir, all in a temp dir.</summary>
public sealed class LaunchPlannerFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public LaunchPlannerFixture()
    {
        Home = _dir.CreateDirectory("home");
        Project = _dir.CreateDirectory("home/src/project");
        Paths = new AirlockPaths(_dir.Combine("home", ".airlock"), Home);
        User = new HostUser(1234, 2345, "dev", Home);
    }

    public string Home { get; }

    public string Project { get; }

    public AirlockPaths Paths { get; }

    public HostUser User { get; }

    public static NamespaceConfig Namespace { get; } = new() { Image = "localhost/airlock:work", BuildDir = "~/.airlock/containers/work" };

    public LaunchRequest Request => new() { Namespace = "work", ProjectDir = Project };

    public LaunchPlanner Planner(EngineIdentity? engine = null, Func<string, string?>? hostEnv = null, int hostCpus = 4) =>
        new(Paths, User, engine ?? TestEngines.RootfulPodman, hostEnv ?? FakeHostEnvironment.Empty, hostCpus);

    public LaunchPlan Plan(NamespaceConfig? ns = null, LaunchRequest? request = null, EngineIdentity? engine = null, Func<string, string?>? hostEnv = null) =>
        Planner(engine, hostEnv).Plan("work", ns ?? Namespace, request ?? Request);

    public string Write(string relativePath, string content) => _dir.Write(relativePath, content);

    public string CreateDirectory(string relativePath) => _dir.CreateDirectory(relativePath);

    public void Dispose() => _dir.Dispose();
}
