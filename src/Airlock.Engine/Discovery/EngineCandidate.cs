using Airlock.Engine.Identity;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Discovery;

/// <summary>A place an engine might listen, with the reason it is being tried (shown by <c>airlock doctor</c>).</summary>
public sealed record EngineCandidate(EngineEndpoint Endpoint, EngineKind ExpectedKind, string Source);
