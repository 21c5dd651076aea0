using System.Globalization;
using Airlock.Cli.Engines;
using Airlock.Cli.Settings;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Cli.Doctor;

/// <summary>Finds the engine the way every command does, then checks what Airlock needs from it.</summary>
public sealed class DoctorCheck(EngineDiscovery discovery, BaseImageSetting baseImage, TimeProvider time, AirlockPaths paths, Func<string, string?> getVariable)
{

    public async Task<DoctorReport> RunAsync(CancellationToken ct = default)
    {
        var problems = new List<ProblemReport>();
        IReadOnlyList<EngineCandidate> candidates;
        try
        {
            candidates = discovery.Candidates();
        }
        catch (EngineConfigurationException ex)
        {
            problems.Add(new ProblemReport(
                "engine-setting-invalid",
                ex.Message,
                "set AIRLOCK_ENGINE to podman, docker, unix:///path/to.sock or tcp://host:port (or DOCKER_HOST to an address), or unset it"));
            return Report(DoctorStatus.Problems, null, [], Missing(), problems);
        }

        DiscoveredEngine found;
        try
        {
            found = await discovery.FindAsync(ct);
        }
        catch (EngineUnreachableException ex)
        {
            // Discovery reports the attempts only in its message; probe again for the structured list.
            var tried = new List<CandidateReport>();
            foreach (var candidate in candidates)
            {
                var (answered, detail) = await ProbeAsync(candidate, ct);
                tried.Add(ToReport(candidate, tried: true, answered, detail));
            }

            problems.Add(new ProblemReport("engine-unreachable", ex.Message, ex.HowToFix));
            return Report(DoctorStatus.NoEngine, null, tried, Missing(), problems);
        }

        var candidateReports = CandidateReports(candidates, found);
        ISandboxRuntime runtime;
        try
        {
            runtime = await EngineConnector.ConnectAsync(found.Endpoint, time, ct, detailed: true);
        }
        catch (EngineApiTooOldException ex)
        {
            problems.Add(new ProblemReport("engine-api-too-old", ex.Message, "upgrade the engine, or point AIRLOCK_ENGINE at a newer one"));
            return Report(DoctorStatus.NoEngine, null, candidateReports, Missing(), problems);
        }
        catch (EngineException ex)
        {
            problems.Add(new ProblemReport(
                "engine-unusable",
                $"the engine at {found.Endpoint} answers ping but not Airlock's requests: {ex.Message}",
                "check the engine's own health (podman info / docker info) and its log"));
            return Report(DoctorStatus.NoEngine, null, candidateReports, Missing(), problems);
        }

        using (runtime)
        {
            var id = runtime.Identity;
            var engine = new EngineReport(
                KindName(id.Kind),
                id.Version,
                id.ServerApiVersion.ToString(),
                id.NegotiatedApiVersion.ToString(),
                id.Rootless,
                found.Endpoint.ToString(),
                found.Source,
                found.StartedByAirlock,
                id.Os,
                id.Arch,
                id.KernelVersion);

            var image = await runtime.TryInspectImageAsync(baseImage.Name, ct);
            var created = image?.Created?.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);
            var imageReport = new BaseImageReport(baseImage.Name, baseImage.Source, image is not null, image?.Id, image?.Size, created);
            if (image is null)
            {
                problems.Add(BaseImageFix.Problem(baseImage, engine, getVariable));
            }

            var namespaces = await NamespaceDoctor.CheckAsync(runtime, paths, time, problems, ct);
            var isolation = await IsolationDoctor.CheckAsync(runtime, ct);
            return Report(problems.Count == 0 ? DoctorStatus.Healthy : DoctorStatus.Problems, engine, candidateReports, imageReport, problems)
                with { Namespaces = namespaces, Isolation = isolation };
        }
    }

    private BaseImageReport Missing() => new(baseImage.Name, baseImage.Source, null, null, null, null);

    private static DoctorReport Report(
        string status, EngineReport? engine, IReadOnlyList<CandidateReport> candidates, BaseImageReport image, IReadOnlyList<ProblemReport> problems) =>
        new()
        {
            AirlockVersion = AirlockVersion.Full,
            Status = status,
            Engine = engine,
            Candidates = candidates,
            BaseImage = image,
            Problems = problems,
        };

    private static List<CandidateReport> CandidateReports(IReadOnlyList<EngineCandidate> candidates, DiscoveredEngine found)
    {
        var reports = new List<CandidateReport>();
        foreach (var candidate in candidates)
        {
            var outcome = found.Tried.FirstOrDefault(t => t.Candidate == candidate);
            if (found.StartedByAirlock && candidate.Endpoint == found.Endpoint)
            {
                var before = outcome is null ? "" : outcome.Detail + "; ";
                reports.Add(ToReport(candidate, tried: true, answered: true, before + "airlock started podman system service here, answers"));
            }
            else if (outcome is not null)
            {
                reports.Add(ToReport(candidate, tried: true, outcome.Answered, outcome.Detail));
            }
            else
            {
                reports.Add(ToReport(candidate, tried: false, answered: false, "not tried (an earlier candidate answered)"));
            }
        }

        return reports;
    }

    private static CandidateReport ToReport(EngineCandidate candidate, bool tried, bool answered, string detail) =>
        new(candidate.Endpoint.ToString(), KindName(candidate.ExpectedKind), candidate.Source, tried, answered, detail);

    /// <summary>The same probe discovery makes: the socket file first, then <c>GET /_ping</c>.</summary>
    private static async Task<(bool Answered, string Detail)> ProbeAsync(EngineCandidate candidate, CancellationToken ct)
    {
        if (candidate.Endpoint.IsUnix && !File.Exists(candidate.Endpoint.Address))
        {
            return (false, "no socket");
        }

        return await EnginePing.PingAsync(candidate.Endpoint, TimeSpan.FromSeconds(3), ct) is { } error ? (false, error) : (true, "answers");
    }

    private static string KindName(EngineKind kind) => kind switch
    {
        EngineKind.Podman => "podman",
        EngineKind.Docker => "docker",
        _ => "unknown",
    };
}
