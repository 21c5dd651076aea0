using System.Collections.Frozen;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// Who owns something Airlock made in an engine, and why it is there: the one place the <c>io.airlock.*</c> labels are
/// written (<see cref="ToLabels"/>, used only by the runtime) and read back (<see cref="FromLabels"/>), so state can always
/// be rebuilt from the engine. Each property is one label; a null one is not written, and in a query it matches anything.
/// </summary>
public sealed record SandboxOwner
{
    /// <summary>What made it: see <see cref="Roles"/>.</summary>
    public string? Role { get; init; }

    public string? Namespace { get; init; }

    /// <summary>On a namespace's image: the AIRLOCK_HOME and user it was built for (images of two homes never mix).</summary>
    public string? NamespaceOwner { get; init; }

    /// <summary>On a namespace's image: the hash of the home skeleton baked into it.</summary>
    public string? SkeletonHash { get; init; }

    /// <summary>The host project directory a launcher session works in.</summary>
    public string? Project { get; init; }

    public string? Session { get; init; }

    /// <summary>On a network guard: the session it guards.</summary>
    public string? Guards { get; init; }

    public string? Tenant { get; init; }

    public string? SandboxId { get; init; }

    /// <summary>The id of the database a server keeps its state in (every server on one database shares it).</summary>
    public string? Server { get; init; }

    public string? Node { get; init; }

    public string? Snapshot { get; init; }

    public string? Template { get; init; }

    /// <summary>
    /// On a launcher session: the program that drives it, when not a person at a terminal (see <see cref="Clients"/>).
    /// Tools that act on sessions they made check it, so they never touch a person's own sessions.
    /// </summary>
    public string? Client { get; init; }

    /// <summary>The values <see cref="Client"/> takes.</summary>
    public static class Clients
    {
        /// <summary><c>airlock mcp</c>'s sandboxes, which live between an outside agent's tool calls.</summary>
        public const string Mcp = "mcp";
    }

    /// <summary>The values <see cref="Role"/> takes.</summary>
    public static class Roles
    {
        public const string Launcher = "launcher";
        public const string LauncherGuard = "launcher-guard";
        public const string LauncherSeed = "launcher-seed";
        public const string GuardImage = "guard-image";
        public const string Server = "server";

        /// <summary>The network guard of a server's <c>open</c> sandbox (labelled with the sandbox's id).</summary>
        public const string ServerGuard = "server-guard";

        /// <summary><c>airlock engine run</c>'s containers.</summary>
        public const string EngineRun = "airlock";
    }

    /// <summary>Each label: its key, how it is read off an owner, and how an owner is given it back.</summary>
    private static readonly FrozenDictionary<string, (Func<SandboxOwner, string?> Read, Func<SandboxOwner, string?, SandboxOwner> Write)> Parts =
        new Dictionary<string, (Func<SandboxOwner, string?>, Func<SandboxOwner, string?, SandboxOwner>)>
        {
            [SandboxLabels.Owner] = (o => o.Role, (o, v) => o with { Role = v }),
            [SandboxLabels.Namespace] = (o => o.Namespace, (o, v) => o with { Namespace = v }),
            [SandboxLabels.NamespaceOwner] = (o => o.NamespaceOwner, (o, v) => o with { NamespaceOwner = v }),
            [SandboxLabels.SkeletonHash] = (o => o.SkeletonHash, (o, v) => o with { SkeletonHash = v }),
            [SandboxLabels.Project] = (o => o.Project, (o, v) => o with { Project = v }),
            [SandboxLabels.Session] = (o => o.Session, (o, v) => o with { Session = v }),
            [SandboxLabels.Guards] = (o => o.Guards, (o, v) => o with { Guards = v }),
            [SandboxLabels.Tenant] = (o => o.Tenant, (o, v) => o with { Tenant = v }),
            [SandboxLabels.SandboxId] = (o => o.SandboxId, (o, v) => o with { SandboxId = v }),
            [SandboxLabels.Server] = (o => o.Server, (o, v) => o with { Server = v }),
            [SandboxLabels.Node] = (o => o.Node, (o, v) => o with { Node = v }),
            [SandboxLabels.Snapshot] = (o => o.Snapshot, (o, v) => o with { Snapshot = v }),
            [SandboxLabels.Template] = (o => o.Template, (o, v) => o with { Template = v }),
            [SandboxLabels.Client] = (o => o.Client, (o, v) => o with { Client = v }),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The labels this owner is written as.</summary>
    public IReadOnlyDictionary<string, string> ToLabels()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, (read, _)) in Parts)
        {
            if (read(this) is { } value)
            {
                labels[key] = value;
            }
        }

        return labels;
    }

    /// <summary>
    /// A caller's <paramref name="labels"/>, without any that only an owner or the runtime writes, with this owner's
    /// written over them: the labels put on what the owner made.
    /// </summary>
    public Dictionary<string, string> WrittenOver(IReadOnlyDictionary<string, string>? labels)
    {
        var merged = WithoutOwnLabels(labels);
        foreach (var (key, value) in ToLabels())
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>The engine's label filters (<c>key=value</c>) that match what this owner sets.</summary>
    public IReadOnlyList<string> ToFilters() => ToLabels().Select(kv => $"{kv.Key}={kv.Value}").ToList();

    /// <summary>The owner written on something, read back from its labels (absent labels stay null).</summary>
    public static SandboxOwner FromLabels(IReadOnlyDictionary<string, string>? labels) =>
        labels is null
            ? new SandboxOwner()
            : labels.Where(kv => Parts.ContainsKey(kv.Key)).Aggregate(new SandboxOwner(), (owner, kv) => Parts[kv.Key].Write(owner, kv.Value));

    /// <summary>The label a sandbox at <paramref name="level"/> is given, so listings can show its level.</summary>
    public static KeyValuePair<string, string> IsolationLabel(IsolationLevel level) => new(SandboxLabels.Isolation, IsolationLevels.Name(level));

    /// <summary>The level written on a sandbox; one made before levels were labelled (or unlabelled) ran as a container.</summary>
    public static IsolationLevel IsolationFromLabels(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(SandboxLabels.Isolation, out var name) && IsolationLevels.TryParse(name) is { } level
            ? level
            : IsolationLevel.Container;

    /// <summary>Whether every part <paramref name="query"/> sets is the same here.</summary>
    public bool Matches(SandboxOwner query) => query.ToLabels().All(kv => Parts[kv.Key].Read(this) == kv.Value);

    /// <summary>
    /// The caller's own labels with every one an owner (or the runtime, for the level) writes taken out: only they write those. Other
    /// <c>io.airlock.*</c> labels stay (the test suites mark what their runs make with <c>io.airlock.test</c>).
    /// </summary>
    public static Dictionary<string, string> WithoutOwnLabels(IReadOnlyDictionary<string, string>? labels) =>
        labels is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : labels.Where(kv => !Parts.ContainsKey(kv.Key) && kv.Key != SandboxLabels.Isolation).ToDictionary(StringComparer.Ordinal);
}
