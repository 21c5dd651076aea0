using Airlock.Launcher.Config;

namespace Airlock.Launcher.Namespaces;

/// <summary>A namespace as listed: its config entry and whether its image and home exist.</summary>
public sealed record NamespaceStatus(string Name, NamespaceConfig Config, bool ImagePresent, bool HomePresent);
