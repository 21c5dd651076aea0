namespace Airlock.Launcher.Config;

/// <summary>A <c>port-forwarding:</c> entry.</summary>
public sealed record PortForwardConfig(int ContainerPort, int HostPort, string HostInterface = "127.0.0.1");
