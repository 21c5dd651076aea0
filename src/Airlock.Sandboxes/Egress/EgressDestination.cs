namespace Airlock.Sandboxes.Egress;

/// <summary>What a sandbox asked to reach: a normalised host name or IP literal, and a port.</summary>
public readonly record struct EgressDestination(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
