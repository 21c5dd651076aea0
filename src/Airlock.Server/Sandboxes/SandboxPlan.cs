using Airlock.Sandboxes.Specs;

namespace Airlock.Server.Sandboxes;

/// <summary>A checked request: the spec to run and what it reserves from the quota.</summary>
public sealed record SandboxPlan(string Name, SandboxSpec Spec, long CpuMillis, long MemoryBytes, IReadOnlyDictionary<string, string> Labels);
