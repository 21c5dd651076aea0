using System.Text.Json.Serialization;

namespace Airlock.Cli.Doctor;

/// <summary>
/// What <c>airlock doctor</c> found. Serialised as-is by <c>--json</c>: fields are only ever added, and
/// <see cref="SchemaVersion"/> goes up if one ever has to change meaning.
/// </summary>
public sealed record DoctorReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string AirlockVersion { get; init; }

    /// <summary><c>healthy</c>, <c>problems</c> (something to fix, exit 2) or <c>no-engine</c> (exit 3).</summary>
    public required string Status { get; init; }

    public bool Healthy => Status == DoctorStatus.Healthy;

    /// <summary>The engine that answered; null when none did.</summary>
    public EngineReport? Engine { get; init; }

    /// <summary>Every place Airlock looks for an engine, in order, with what happened there.</summary>
    public required IReadOnlyList<CandidateReport> Candidates { get; init; }

    public required BaseImageReport BaseImage { get; init; }

    public required IReadOnlyList<ProblemReport> Problems { get; init; }

    /// <summary>The namespaces in config.yaml; empty when there is no engine to check them against.</summary>
    public IReadOnlyList<NamespaceReport> Namespaces { get; init; } = [];

    /// <summary>The isolation levels the engine offers, each with how to add it when it does not; empty without an engine.</summary>
    public IReadOnlyList<IsolationReport> Isolation { get; init; } = [];

    [JsonIgnore]
    public int ExitCode => Status switch
    {
        DoctorStatus.Healthy => ExitCodes.Ok,
        DoctorStatus.NoEngine => ExitCodes.Unreachable,
        _ => ExitCodes.UserError,
    };
}

public static class DoctorStatus
{
    public const string Healthy = "healthy";
    public const string Problems = "problems";
    public const string NoEngine = "no-engine";
}

/// <param name="Kind"><c>podman</c> or <c>docker</c>.</param>
/// <param name="Source">How it was found, e.g. <c>AIRLOCK_ENGINE=podman</c> or <c>default podman socket (rootful)</c>.</param>
/// <param name="StartedByAirlock">True when no socket answered and Airlock started <c>podman system service</c> itself.</param>
public sealed record EngineReport(
    string Kind,
    string Version,
    string ServerApiVersion,
    string NegotiatedApiVersion,
    bool Rootless,
    string Endpoint,
    string Source,
    bool StartedByAirlock,
    string Os,
    string Arch,
    string KernelVersion);

/// <param name="ExpectedKind"><c>podman</c>, <c>docker</c> or <c>unknown</c> (an address given in AIRLOCK_ENGINE or DOCKER_HOST).</param>
/// <param name="Tried">False when an earlier candidate answered first.</param>
/// <param name="Outcome">What happened: <c>answers</c>, <c>no socket</c>, the connection error, or <c>not tried</c>.</param>
public sealed record CandidateReport(string Endpoint, string ExpectedKind, string Source, bool Tried, bool Answered, string Outcome);

/// <param name="Setting"><c>AIRLOCK_BASE_IMAGE</c> when set there, else <c>default</c>.</param>
/// <param name="Present">Whether the engine has it; null when there was no engine to ask.</param>
public sealed record BaseImageReport(string Name, string Setting, bool? Present, string? Id, long? SizeBytes, string? Created);

/// <param name="Level"><c>container</c> or <c>gvisor</c>.</param>
/// <param name="Runtime">The engine's OCI runtime for it.</param>
/// <param name="Note">What limits it on this engine, or why it is missing.</param>
/// <param name="Fix">How to add it when it is missing.</param>
public sealed record IsolationReport(string Level, bool Available, string Runtime, string? Note, string? Fix);

/// <param name="Code">Stable identifier, e.g. <c>engine-unreachable</c>, <c>base-image-missing</c>.</param>
/// <param name="Fix">What to do about it.</param>
/// <param name="Command">The command line that fixes it, run as the same user with the same environment, where one does (for scripts); null otherwise.</param>
public sealed record ProblemReport(string Code, string Message, string Fix, string? Command = null);
