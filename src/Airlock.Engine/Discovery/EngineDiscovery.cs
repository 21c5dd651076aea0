using Airlock.Engine.Errors;
using Airlock.Engine.Identity;
using Airlock.Engine.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Airlock.Engine.Discovery;

/// <summary>
/// Finds an engine: <c>AIRLOCK_ENGINE</c> (<c>podman</c>, <c>docker</c> or an address) if set, else <c>DOCKER_HOST</c> if set,
/// else podman's sockets (rootless, rootful, Airlock's private one) then Docker's. When nothing answers and podman is
/// installed, it starts <c>podman system service</c> on the private socket with an idle timeout; later runs reuse it.
/// </summary>
public sealed class EngineDiscovery
{
    public const string EngineVariable = "AIRLOCK_ENGINE";

    private readonly DiscoveryEnvironment _env;
    private readonly ILogger _logger;
    private readonly PodmanServiceStarter _starter;

    public EngineDiscovery(DiscoveryEnvironment? env = null, ILogger? logger = null, PodmanServiceStarter? starter = null)
    {
        _env = env ?? DiscoveryEnvironment.FromProcess();
        _logger = logger ?? NullLogger.Instance;
        _starter = starter ?? new PodmanServiceStarter();
    }

    /// <summary>The private socket Airlock starts podman on when no socket answers.</summary>
    public string PrivatePodmanSocket => Path.Combine(PrivateRuntimeDir, "podman.sock");

    private string PrivateRuntimeDir => PrivateRuntimeDirectory.For(_env);

    /// <summary>Every place to try, in order. Explicit settings (AIRLOCK_ENGINE, DOCKER_HOST) are the only candidates when present.</summary>
    public IReadOnlyList<EngineCandidate> Candidates()
    {
        var choice = _env.GetVariable(EngineVariable)?.Trim();
        if (!string.IsNullOrEmpty(choice))
        {
            return choice.ToLowerInvariant() switch
            {
                "podman" => PodmanCandidates($"{EngineVariable}=podman"),
                "docker" => DockerCandidates($"{EngineVariable}=docker"),
                _ => [new EngineCandidate(ParseSetting(choice, EngineVariable), EngineKind.Unknown, $"{EngineVariable}={choice}")],
            };
        }

        var dockerHost = _env.GetVariable("DOCKER_HOST")?.Trim();
        if (!string.IsNullOrEmpty(dockerHost))
        {
            return [new EngineCandidate(ParseSetting(dockerHost, "DOCKER_HOST"), EngineKind.Unknown, $"DOCKER_HOST={dockerHost}")];
        }

        return [.. PodmanCandidates("default podman socket"), .. DockerCandidates("default Docker socket")];
    }

    private static EngineEndpoint ParseSetting(string value, string variable) =>
        EngineEndpoint.TryParse(value, out var endpoint, out var error)
            ? endpoint
            : throw new EngineConfigurationException($"{variable}: {error}. Set {variable} to podman, docker, unix:///path/to.sock or tcp://host:port, or unset it");

    private List<EngineCandidate> PodmanCandidates(string source)
    {
        var list = new List<EngineCandidate>();
        if (_env.GetVariable("XDG_RUNTIME_DIR") is { Length: > 0 } xdg && _env.UserId != 0)
        {
            list.Add(new(EngineEndpoint.Unix(Path.Combine(xdg, "podman", "podman.sock")), EngineKind.Podman, $"{source} (rootless)"));
        }

        list.Add(new(EngineEndpoint.Unix("/run/podman/podman.sock"), EngineKind.Podman, $"{source} (rootful)"));
        list.Add(new(EngineEndpoint.Unix(PrivatePodmanSocket), EngineKind.Podman, "podman service started by airlock"));
        return list;
    }

    private List<EngineCandidate> DockerCandidates(string source)
    {
        var list = new List<EngineCandidate>();
        if (_env.GetVariable("XDG_RUNTIME_DIR") is { Length: > 0 } xdg && _env.UserId != 0)
        {
            list.Add(new(EngineEndpoint.Unix(Path.Combine(xdg, "docker.sock")), EngineKind.Docker, $"{source} (rootless)"));
        }

        list.Add(new(EngineEndpoint.Unix("/var/run/docker.sock"), EngineKind.Docker, $"{source} (rootful)"));
        return list;
    }

    /// <summary>
    /// Tries the candidates in order and returns the first that answers, starting podman's service if needed. Where podman
    /// is installed it is the engine, started when no podman socket answers; Docker's sockets are tried only where it is
    /// not. Choosing by what happens to be running would move a user between engines (and away from their namespaces'
    /// images) whenever airlock's idle podman service has stopped or a new group took effect; see docs/design/engine-choice.md.
    /// </summary>
    public async Task<DiscoveredEngine> FindAsync(CancellationToken ct = default)
    {
        var candidates = Candidates();
        var tried = new List<CandidateOutcome>();
        // Only when podman is among the candidates: AIRLOCK_ENGINE=docker or an explicit address must not end up on podman.
        var podman = candidates.Any(c => c.ExpectedKind == EngineKind.Podman) ? _env.FindExecutable("podman") : null;
        foreach (var candidate in candidates)
        {
            if (podman is not null && candidate.ExpectedKind != EngineKind.Podman)
            {
                break;
            }

            var outcome = await ProbeAsync(candidate, ct);
            tried.Add(outcome);
            EngineLog.Candidate(_logger, candidate.Endpoint.ToString(), candidate.Source, outcome.Detail);
            if (outcome.Answered)
            {
                return new DiscoveredEngine(candidate.Endpoint, candidate.Source, false, tried);
            }
        }

        if (podman is not null)
        {
            var socket = PrivatePodmanSocket;
            await _starter.StartAsync(podman, socket, ct);
            EngineLog.PodmanServiceStarted(_logger, socket);
            return new DiscoveredEngine(EngineEndpoint.Unix(socket), "podman service started by airlock", true, tried);
        }

        throw new EngineUnreachableException(
            "no container engine answers. Tried: " + string.Join("; ", tried.Select(t => $"{t.Candidate.Endpoint} ({t.Candidate.Source}): {t.Detail}")),
            HowToFix(candidates));
    }

    /// <summary>
    /// How long a socket that accepts may take to answer a ping. A socket nobody listens on fails at once, so this only
    /// bounds a hung engine; it is generous because a first request (a fresh process, its HTTP stack not yet compiled)
    /// on a loaded machine took over 3 s.
    /// </summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(15);

    private static string HowToFix(IReadOnlyList<EngineCandidate> candidates) =>
        candidates.Count == 1 && candidates[0].ExpectedKind == EngineKind.Unknown
            ? $"start the engine at {candidates[0].Endpoint}, or unset {EngineVariable}/DOCKER_HOST to let Airlock find podman or Docker"
            : "install podman (Airlock starts its API service by itself) or start Docker: on Debian, bash scripts/setup.sh in the Airlock checkout does both and prepares your user";

    private async Task<CandidateOutcome> ProbeAsync(EngineCandidate candidate, CancellationToken ct)
    {
        if (candidate.Endpoint.IsUnix && !_env.SocketExists(candidate.Endpoint.Address))
        {
            return new CandidateOutcome(candidate, false, "no socket");
        }

        if (candidate.Endpoint.IsUnix && (_env.SocketProblem ?? (path => SocketTrust.Problem(path, _env.UserId)))(candidate.Endpoint.Address) is { } problem)
        {
            EngineLog.Untrusted(_logger, candidate.Endpoint.ToString(), problem);
            return new CandidateOutcome(candidate, false, problem);
        }

        return await EnginePing.PingAsync(candidate.Endpoint, PingTimeout, ct) is { } error
            ? new CandidateOutcome(candidate, false, error)
            : new CandidateOutcome(candidate, true, "answers");
    }
}
