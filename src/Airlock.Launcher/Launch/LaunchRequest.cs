namespace Airlock.Launcher.Launch;

/// <summary>The flags of one launch, layered over the namespace's config entry.</summary>
public sealed record LaunchRequest
{
    public required string Namespace { get; init; }

    /// <summary>The directory mounted as the project (the current directory).</summary>
    public required string ProjectDir { get; init; }

    /// <summary>Positional command after the namespace; wins over <see cref="CommandFlag"/> and the config's command.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public string? CommandFlag { get; init; }
    public string? Image { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public IReadOnlyList<string> Forwards { get; init; } = [];
    public IReadOnlyList<string> Volumes { get; init; } = [];
    public IReadOnlyList<int> HostPorts { get; init; } = [];

    /// <summary><c>--network</c> as given: wins over the namespace's <c>network:</c>.</summary>
    public string? Network { get; init; }

    /// <summary><c>--allow</c> destinations, added to the namespace's <c>network.allow</c> for this launch.</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];
    /// <summary><c>--secret NAME[=SOURCE]</c> as given: a placeholder inside, the value added on the way out.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>
    /// Provider keys set on the host that the agent reads (<c>airlock run</c>): given as secrets where the network lets
    /// the policy point add them, else left out with a warning (never passed as plain values unasked).
    /// </summary>
    public IReadOnlyList<string> AgentSecrets { get; init; } = [];

    /// <summary>Secrets made whole by the caller (conduit's endpoint key, whose placeholder its config already names).</summary>
    public IReadOnlyList<Secrets.PlannedSecret> MadeSecrets { get; init; } = [];
    public string? Display { get; init; }

    /// <summary><c>--isolation</c> as given: wins over the namespace's config (which a template's default was copied into).</summary>
    public string? Isolation { get; init; }
    public bool Gpg { get; init; }
    public bool AllowConcurrent { get; init; }
    public bool Tty { get; init; }

    /// <summary>
    /// The person agreed (<c>--yes</c>, or a yes at the prompt) to mount a project that is, or holds, their home or
    /// Airlock's state directory.
    /// </summary>
    public bool BroadProjectConfirmed { get; init; }
}
