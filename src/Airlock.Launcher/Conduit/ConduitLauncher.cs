using Airlock.Launcher.Conduit.Writers;
using Airlock.Launcher.Secrets;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Secrets;

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
        var secret = location.Site == ConduitSite.Host && settings.ApiKeyFromEnv is { } variable ? KeySecret(endpoint, variable) : null;
        var key = secret?.Placeholder
            ?? (settings.ApiKeyFromEnv is { } inside ? Environment.GetEnvironmentVariable(inside) : null)
            ?? settings.ApiKey;
        var setup = writer.Configure(location.Home, new AgentTarget(endpoint.UrlFrom(ConduitSite.Sandbox), model, key));
        store.Save(settings.WithLastModel(agent, model));
        var ports = location.Site == ConduitSite.Host && endpoint.HostPort is { } port ? new[] { port } : [];
        // The secret puts its placeholder in the variable itself; given twice it would be a plain variable too.
        var environment = secret is null ? setup.Environment : setup.Environment.Where(v => v.Key != secret.Variable).ToDictionary();
        return new AgentLaunch(agent, location.Namespace, model, [writer.Command, .. setup.Arguments, .. agentArgs], environment, ports, setup.Files)
        {
            Secrets = secret is null ? [] : [secret],
        };
    }

    /// <summary>The endpoint's key, read from the host's <paramref name="variable"/> when the sandbox starts, sent as a bearer token to the endpoint's host only.</summary>
    private static PlannedSecret KeySecret(ConduitEndpoint endpoint, string variable)
    {
        var uri = new Uri(endpoint.Url);
        var host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        return new PlannedSecret(variable, AgentTarget.ApiKeyVariable, SecretPlaceholder.New(variable), SecretSource.FromEnv(variable),
            [EgressRule.Parse(host)], SecretInjection.Bearer, $"conduit's --api-key-from-env {variable}");
    }

    public static ConduitEndpoint RequireEndpoint(ConduitSettings settings) =>
        settings.GetEndpoint() ?? throw new ConduitException(
            "no endpoint set for conduit",
            "set one: airlock conduit set endpoint ollama|lmstudio|vllm|llamacpp|URL");
}
