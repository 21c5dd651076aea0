namespace Airlock.Sandboxes.Specs;

/// <summary>
/// How far a sandbox is kept from the host's kernel; docs/security.md ("Isolation levels") says what each isolates on
/// these machines. The wall (capabilities, seccomp, no-new-privileges, limits, mounts) is the same at every level.
/// </summary>
public enum IsolationLevel
{
    /// <summary>An ordinary container (runc/crun, the engine's default): the sandbox's calls reach the host kernel, filtered by seccomp.</summary>
    Container,

    /// <summary>gVisor (<c>runsc</c>): the sandbox's calls are served by gVisor's own kernel in user space; few reach the host's.</summary>
    Gvisor,
}

/// <summary>The names of <see cref="IsolationLevel"/> as users write them (config, flags, the API), written once.</summary>
public static class IsolationLevels
{
    public const string ContainerName = "container";
    public const string GvisorName = "gvisor";

    /// <summary>Every level, in order of strength.</summary>
    public static readonly IReadOnlyList<IsolationLevel> All = [IsolationLevel.Container, IsolationLevel.Gvisor];

    /// <summary>"container, gvisor": for messages that name the levels there are.</summary>
    public static string Names => string.Join(", ", All.Select(Name));

    public static string Name(IsolationLevel level) => level switch
    {
        IsolationLevel.Container => ContainerName,
        IsolationLevel.Gvisor => GvisorName,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>The level <paramref name="text"/> names (any case, surrounding blanks ignored), or null.</summary>
    public static IsolationLevel? TryParse(string? text) =>
        text?.Trim().ToLowerInvariant() switch
        {
            ContainerName => IsolationLevel.Container,
            GvisorName => IsolationLevel.Gvisor,
            _ => null,
        };

    /// <summary>The level <paramref name="text"/> names; otherwise an error that names the levels there are.</summary>
    public static IsolationLevel Parse(string? text) =>
        TryParse(text) ?? throw new FormatException(ErrorFor(text));

    /// <summary>"'vm' is not an isolation level (container, gvisor)": the one wording, for every face.</summary>
    public static string ErrorFor(string? text) => $"'{text}' is not an isolation level ({Names})";
}
