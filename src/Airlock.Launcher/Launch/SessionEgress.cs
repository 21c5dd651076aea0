using System.Net;
using System.Net.Sockets;
using Airlock.Engine.Discovery;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Secrets;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The egress policy point of one <c>allowlist</c> launch, run by the airlock process that holds the session: a proxy on
/// a unix socket in a directory of this session's own (mounted read-only into the sandbox, in the user's private runtime
/// directory so its path stays short enough for a socket), recording every connection to
/// <c>state/egress/NAMESPACE/SESSION.jsonl</c>, and the host's side of each forwarded port. Disposing it stops them all
/// and removes the directory.
/// </summary>
public sealed class SessionEgress : IAsyncDisposable
{
    private readonly EgressProxy _proxy;
    private readonly JsonLinesEgressLog _log;
    private readonly EgressRefusalTally _tally;
    private readonly EgressControl _control;
    private readonly IReadOnlyList<SessionForward> _forwards;
    private readonly SandboxCertificateAuthority? _authority;

    private SessionEgress(EgressProxy proxy, JsonLinesEgressLog log, EgressRefusalTally tally, EgressControl control, IReadOnlyList<SessionForward> forwards, string directory, string logFile, SandboxCertificateAuthority? authority)
    {
        _authority = authority;
        _proxy = proxy;
        _log = log;
        _tally = tally;
        _control = control;
        _forwards = forwards;
        Directory = directory;
        LogFile = logFile;
    }

    /// <summary>The directory holding the sockets, mounted at <see cref="EgressWiring.SocketDirectory"/>.</summary>
    public string Directory { get; }

    public string LogFile { get; }

    /// <summary>What the session was refused so far, each destination once.</summary>
    public IReadOnlyList<EgressRefusal> Refused => _tally.Refused;

    /// <summary>Where the host's clients reach each forwarded port.</summary>
    public IReadOnlyList<SessionForward> Forwards => _forwards;

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
        var tally = new EgressRefusalTally(log);
        SandboxCertificateAuthority? authority = null;
        SecretSet secrets;
        try
        {
            // Read now, not at plan time: --dry-run never asks a password manager, and a value lives only in this process.
            secrets = new SecretSet(plan.Secrets.Select(s => s.Bind(paths, Environment.GetEnvironmentVariable)).ToList());
            if (!secrets.IsEmpty)
            {
                authority = SandboxCertificateAuthority.Create(plan.SessionName, TimeProvider.System);
                SandboxTrust.WriteInto(directory, authority);
            }
        }
        catch
        {
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            ConfinedDirectory.DeleteTree(directory);
            throw;
        }

        var proxy = new EgressProxy(policy, new EgressProxyOptions
        {
            Secrets = secrets,
            Authority = authority,
            SandboxId = plan.SessionName,
            Log = tally,
            AllowHint = d => $"to allow it: airlock egress allow {plan.SessionName} {d.Host} (now, this session), launch with --allow {d.Host} (one launch), or add it to network.allow of namespace {ns} in {paths.Contract(paths.ConfigFile)}",
        });
        EgressControl? control = null;
        var forwards = new List<SessionForward>();
        try
        {
            proxy.ListenUnix(Path.Combine(directory, EgressWiring.SocketName));
            foreach (var port in network.HostPorts.Distinct())
            {
                proxy.ListenUnixHostPort(Path.Combine(directory, EgressWiring.HostPortSocketName(port)), port);
            }

            foreach (var port in plan.Spec.Ports)
            {
                forwards.Add(new SessionForward(StartForward(directory, port), port.ContainerPort));
            }

            // Beside the mounted directory, not in it: the sandbox must not reach the socket that widens its policy.
            control = EgressControl.Start(proxy, EgressControl.PathFor(runtimeDirectory, plan.SessionName));
        }
        catch
        {
            foreach (var forward in forwards)
            {
                forward.Inbound.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            authority?.Dispose();
            ConfinedDirectory.DeleteTree(directory);
            throw;
        }

        return new SessionEgress(proxy, log, tally, control, forwards, directory, logFile, authority);
    }

    private static InboundForward StartForward(string directory, PortForward port)
    {
        var host = IPAddress.Parse(port.HostAddress.Trim('[', ']'));
        try
        {
            return InboundForward.Start(Path.Combine(directory, InboundForward.SocketName(port.ContainerPort)), new IPEndPoint(host, port.HostPort));
        }
        catch (SocketException ex)
        {
            throw new LauncherException($"--forward {port.HostAddress}:{port.HostPort}:{port.ContainerPort}: cannot listen on {port.HostAddress}:{port.HostPort} ({ex.Message}); pick a free port, or 0 for any");
        }
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
            return new(Directory, RelayExecutable.Require(), TrustsAuthority: _authority is not null);
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
            foreach (var forward in _forwards)
            {
                await forward.Inbound.DisposeAsync();
            }

            await _proxy.DisposeAsync();
            await _log.DisposeAsync();
            _authority?.Dispose();
        }
        finally
        {
            ConfinedDirectory.DeleteTree(Directory);
        }
    }
}

/// <summary>A port forwarded into an allowlist session: clients connect to <see cref="Host"/>, the sandbox serves <paramref name="Inside"/>.</summary>
public sealed record SessionForward(InboundForward Inbound, int Inside)
{
    public IPEndPoint Host => Inbound.Endpoint;
}
