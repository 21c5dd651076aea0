using System.Text.Json;
using Airlock.Engine.Json;

namespace Airlock.Engine.Identity;

/// <summary>
/// The OCI runtimes an engine has registered (<c>/info</c>'s <c>Runtimes</c>, the same field on Docker and podman's compat
/// API), by name, and its default. podman lists every runtime its containers.conf names, its built-in ones included
/// (kata, krun, runj, ...) whether or not their executables are installed, so a name here means "registered", not
/// "proven to run": a runtime Airlock's scripts register (<c>airlock-runsc</c>) appears only where they installed it.
/// </summary>
public sealed record EngineRuntimes(IReadOnlyList<string> Names, string? Default)
{
    public bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>The runtimes in an <c>/info</c> answer; none when it has no <c>Runtimes</c>.</summary>
    public static EngineRuntimes Parse(string infoJson) => From(JsonSerializer.Deserialize(infoJson, EngineJsonContext.Default.InfoResponse)!);

    internal static EngineRuntimes From(InfoResponse info) =>
        new([.. (info.Runtimes?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal)], string.IsNullOrEmpty(info.DefaultRuntime) ? null : info.DefaultRuntime);
}
