using Airlock.Sandboxes.Specs;
using Airlock.Server.Images;

namespace Airlock.Server.Sandboxes;

/// <summary>A checked request: the spec to run, what it reserves from the quota, and where its image comes from.</summary>
public sealed record SandboxPlan(string Name, SandboxSpec Spec, long CpuMillis, long MemoryBytes, IReadOnlyDictionary<string, string> Labels, ImageSource Source);
