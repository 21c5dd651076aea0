using Airlock.Sandboxes.Runtime;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>A running sandbox a file request works on, holding one of its tenant's file-request slots until disposed.</summary>
public sealed class SandboxHandle(string id, string container, ISandboxRuntime runtime, IDisposable slot) : IDisposable
{
    public string Id { get; } = id;

    public string Container { get; } = container;

    public ISandboxRuntime Runtime { get; } = runtime;

    public void Dispose() => slot.Dispose();
}
