namespace Airlock.Engine.Identity;

/// <summary>What answered: which engine, which version, which API, and whether it runs without root.</summary>
public sealed record EngineIdentity(
    EngineKind Kind,
    string Version,
    EngineApiVersion ServerApiVersion,
    EngineApiVersion NegotiatedApiVersion,
    bool Rootless,
    string Os,
    string Arch,
    string KernelVersion);
