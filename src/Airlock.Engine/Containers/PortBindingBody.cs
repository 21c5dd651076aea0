namespace Airlock.Engine.Containers;

/// <summary>A published port as the engine reports it (<c>HostIp</c>, <c>HostPort</c> as a string).</summary>
public sealed class PortBindingBody
{
    public string? HostIp { get; init; }
    public string? HostPort { get; init; }
}
