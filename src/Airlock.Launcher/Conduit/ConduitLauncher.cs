using Airlock.Launcher.Conduit.Writers;

namespace Airlock.Launcher.Conduit;

/// <summary>
/// Prepares <c>conduit launch</c>: writes the agent's config for the endpoint and model and remembers the model. The agent
/// always runs in a sandbox (started by the host, or the one conduit runs in), so its config names the endpoint as a
/// sandbox sees it; from the host, the endpoint's loopback port is forwarded.
/// </summary>
public static class ConduitLauncher
{
    public static AgentLaunch Prepare(ConduitLocation location, string agent, string model, IReadOnlyList<string> agentArgs)
    {
        var writer = AgentWriters.Get(agent);
        var store = location.Store;
        var settings = store.Load();
        var endpoint = RequireEndpoint(settings);
        var setup = writer.Configure(location.Home, new AgentTarget(endpoint.UrlFrom(ConduitSite.Sandbox), model, settings.ApiKey));
        store.Save(settings.WithLastModel(agent, model));
        var ports = location.Site == ConduitSite.Host && endpoint.HostPort is { } port ? new[] { port } : [];
        return new AgentLaunch(agent, location.Namespace, model, [writer.Command, .. setup.Arguments, .. agentArgs], setup.Environment, ports, setup.Files);
    }

    public static ConduitEndpoint RequireEndpoint(ConduitSettings settings) =>
        settings.GetEndpoint() ?? throw new ConduitException(
            "no endpoint set for conduit",
            "set one: airlock conduit set endpoint ollama|lmstudio|vllm|llamacpp|URL");
}
