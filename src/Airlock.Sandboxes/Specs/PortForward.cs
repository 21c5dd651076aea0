namespace Airlock.Sandboxes.Specs;

/// <summary>A container port published on the host. HostPort 0 picks a free one; the default address is loopback only.</summary>
public sealed record PortForward(int ContainerPort, int HostPort = 0, string HostAddress = "127.0.0.1", string Protocol = "tcp");
