using Airlock.Engine.Transport;

namespace Airlock.Engine.Discovery;

/// <summary>The endpoint that answered, how it was found, and every candidate tried on the way.</summary>
public sealed record DiscoveredEngine(EngineEndpoint Endpoint, string Source, bool StartedByAirlock, IReadOnlyList<CandidateOutcome> Tried);

public sealed record CandidateOutcome(EngineCandidate Candidate, bool Answered, string Detail);
