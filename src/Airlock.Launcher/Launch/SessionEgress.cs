using Airlock.Engine.Discovery;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The egress policy point of one <c>allowlist</c> launch, run by the airlock process that holds the session: a proxy on
/// a unix socket in a directory of this session's own (mounted read-only into the sandbox, in the user's private runtime
/// directory so its path stays short enough for a socket), recording every connection to
/// <c>state/egress/NAMESPACE/SESSION.jsonl</c>. Disposing it stops the proxy and removes the directory.
/// </summary>
public sealed class SessionEgress : IAsyncDisposable
{
    private readonly EgressProxy _proxy;
    private readonly JsonLinesEgressLog _log;
    private readonly EgressControl _control;

    private SessionEgress(EgressProxy proxy, JsonLinesEgressLog log, EgressControl control, string directory, string logFile)
    {
        _proxy = proxy;
        _log = log;
        _control = control;
        Directory = directory;
        LogFile = logFile;
    }

    /// <summary>The directory holding the socket, mounted at <see cref="EgressWiring.SocketDirectory"/>.</summary>
    public string Directory { get; }

    public string LogFile { get; }

    /// <summary>The directory egress records of <paramref name="ns"/> are kept in.</summary>
    public static string LogDirectory(AirlockPaths paths, string ns) => Path.Combine(paths.StateDir, "egress", ns);

    public static SessionEgress Start(AirlockPaths paths, LaunchPlan plan, string runtimeDirectory)
    {
        var network = plan.Spec.Network;
        var policy = EgressPolicyParser.Parse(NetworkPolicy.Allowlist, network.Allow, $"namespaces.{plan.Owner.Namespace}.network");
        var ns = plan.Owner.Namespace ?? "";

        PrivateRuntimeDirectory.Ensure(runtimeDirectory);
        var directory = Path.Combine(runtimeDirectory, "egress-" + plan.SessionName[^8..]);
        MakePrivate(directory);

        var logDirectory = MakePrivate(LogDirectory(paths, ns));
        var logFile = Path.Combine(logDirectory, plan.SessionName + ".jsonl");
        var log = new JsonLinesEgressLog(logFile);
        var proxy = new EgressProxy(policy, new EgressProxyOptions
        {
            SandboxId = plan.SessionName,
            Log = log,
            AllowHint = d => $"to allow it: airlock egress allow {plan.SessionName} {d.Host} (now, this session), launch with --allow {d.Host} (one launch), or add it to network.allow of namespace {ns} in {paths.Contract(paths.ConfigFile)}",
        });
        EgressControl? control = null;
        try
        {
            proxy.ListenUnix(Path.Combine(directory, EgressWiring.SocketName));
            foreach (var port in network.HostPorts.Distinct())
            {
                proxy.ListenUnixHostPort(Path.Combine(directory, EgressWiring.HostPortSocketName(port)), port);
            }

            // Beside the mounted directory, not in it: the sandbox must not reach the socket that widens its policy.
            control = EgressControl.Start(proxy, EgressControl.PathFor(runtimeDirectory, plan.SessionName));
        }
        catch
        {
            proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            ConfinedDirectory.DeleteTree(directory);
            throw;
        }

        return new SessionEgress(proxy, log, control, directory, logFile);
    }

    private static string MakePrivate(string path) =>
        (OperatingSystem.IsWindows()
            ? System.IO.Directory.CreateDirectory(path)
            : System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)).FullName;

    /// <summary>The wiring the runtime mounts into the sandbox.</summary>
    public SandboxEgress Wiring()
    {
        try
        {
            return new(Directory, RelayExecutable.Require());
        }
        catch (FileNotFoundException ex)
        {
            throw new LauncherException(ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _control.DisposeAsync();
            await _proxy.DisposeAsync();
            await _log.DisposeAsync();
        }
        finally
        {
            ConfinedDirectory.DeleteTree(Directory);
        }
    }
}
