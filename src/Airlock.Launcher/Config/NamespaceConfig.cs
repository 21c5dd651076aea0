using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Config;

/// <summary>One namespace: its image, build dir and template, and what every launch into it forwards.</summary>
public sealed record NamespaceConfig
{
    public required string Image { get; init; }

    /// <summary>As written in the file (may start with <c>~</c>).</summary>
    public required string BuildDir { get; init; }

    /// <summary>The template it was forked from: a name or a git URL[#REF]. Informational, and what --refresh-template re-resolves.</summary>
    public string? Template { get; init; }

    /// <summary>argv of the default command; null falls through to the image's CMD.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    public EnvironmentConfig Environment { get; init; } = EnvironmentConfig.Empty;

    public IReadOnlyList<PortForwardConfig> PortForwarding { get; init; } = [];

    /// <summary><c>SRC[:DST][:ro]</c> as written; see <see cref="Launch.VolumeSpec"/> for the <c>~</c> rules.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];

    /// <summary><c>x11</c>, <c>wayland</c>, <c>auto</c> or <c>none</c>; null means the template's default, then none.</summary>
    public string? Display { get; init; }

    /// <summary>Host loopback ports reachable from inside at host.airlock.internal (a local model server).</summary>
    public IReadOnlyList<int> HostPorts { get; init; } = [];

    /// <summary>The network mode as written (<see cref="NetworkModes"/>); null means the default, <c>bridge</c>.</summary>
    public string? Network { get; init; }

    /// <summary>In <c>allowlist</c> mode, the destinations let through (host, <c>*.suffix</c>, <c>host:port</c>, CIDR).</summary>
    public IReadOnlyList<string> NetworkAllow { get; init; } = [];

    /// <summary>Secrets every launch gets as placeholders, by name (<c>secrets:</c>; docs/secrets.md).</summary>
    public IReadOnlyDictionary<string, SecretConfig> Secrets { get; init; } = new Dictionary<string, SecretConfig>();

    public LimitsConfig Limits { get; init; } = LimitsConfig.Empty;

    /// <summary>How far its sandboxes are kept from the host's kernel; null means <see cref="IsolationLevel.Container"/> (a <c>--isolation</c> flag wins).</summary>
    public IsolationLevel? Isolation { get; init; }

    /// <summary>Let the sandbox create user namespaces and mount in them (a container engine or a browser's sandbox inside); null means no.</summary>
    public bool? Nesting { get; init; }

    /// <summary>Protected project paths (<see cref="Launch.ProjectProtection.DefaultPaths"/>) this namespace may write.</summary>
    public IReadOnlyList<string> WritableProjectPaths { get; init; } = [];
}
