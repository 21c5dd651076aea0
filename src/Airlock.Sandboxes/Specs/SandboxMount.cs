namespace Airlock.Sandboxes.Specs;

/// <summary>A host path visible inside the sandbox. Read-only unless asked otherwise is the caller's choice to make explicit.</summary>
public sealed record SandboxMount(string Source, string Target, bool ReadOnly = false);
