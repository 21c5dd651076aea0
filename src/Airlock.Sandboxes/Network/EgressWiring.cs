using Airlock.Engine.Containers;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Sandboxes.Network;

/// <summary>
/// How an <c>allowlist</c> sandbox is put together (docs/design/egress.md): no network interface but loopback, the
/// egress socket and the relay mounted read-only, the relay in front of the command listening on
/// <see cref="ProxyAddress"/>, and the proxy variables every common tool reads pointing there. A tool that ignores them
/// reaches nothing: there is no route.
/// </summary>
public static class EgressWiring
{
    /// <summary>Where Airlock's parts appear inside.</summary>
    public const string InsideDirectory = "/run/airlock";

    public const string RelayPath = InsideDirectory + "/relay";

    public const string SocketDirectory = InsideDirectory + "/egress";

    public const string SocketName = "proxy.sock";

    /// <summary>
    /// Where <see cref="Specs.NetworkPolicy.HostServiceName"/> points inside, and the relay listens for each granted host
    /// port: a loopback address of its own, so a program in the sandbox listening on 127.0.0.1 at the same port does not clash.
    /// </summary>
    public const string HostServiceAddress = "127.0.0.2";

    /// <summary>The relay's address inside: HTTP proxy (CONNECT and plain), and SOCKS5 on the same port.</summary>
    public const string ProxyAddress = "127.0.0.1:3128";

    /// <summary>Both spellings: curl and Python read the lower-case ones, Go and Node tools the upper-case.</summary>
    public static readonly IReadOnlyDictionary<string, string> ProxyVariables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HTTP_PROXY"] = $"http://{ProxyAddress}",
        ["HTTPS_PROXY"] = $"http://{ProxyAddress}",
        ["ALL_PROXY"] = $"socks5h://{ProxyAddress}",
        ["NO_PROXY"] = "localhost,127.0.0.1,::1",
        ["http_proxy"] = $"http://{ProxyAddress}",
        ["https_proxy"] = $"http://{ProxyAddress}",
        ["all_proxy"] = $"socks5h://{ProxyAddress}",
        ["no_proxy"] = "localhost,127.0.0.1,::1",
        // Node's own fetch and http (Node 24, 22.21) ignore the variables above unless told: most agent CLIs are Node.
        ["NODE_USE_ENV_PROXY"] = "1",
    };

    /// <summary>The socket, in the egress directory, that carries connections to host port <paramref name="port"/>.</summary>
    public static string HostPortSocketName(int port) => $"host-{port}.sock";

    /// <summary>
    /// <paramref name="options"/> with the egress wiring: <paramref name="command"/> is what would have run (the spec's,
    /// else the image's entrypoint and command), since the relay becomes the entrypoint. Each of <paramref name="hostPorts"/>
    /// gets a relay at <see cref="HostServiceAddress"/> to its own socket, which the policy point connects to the host's loopback;
    /// each published port of <paramref name="options"/> becomes an inbound relay (<see cref="InboundForward"/>).
    /// </summary>
    public static ContainerCreateOptions Apply(ContainerCreateOptions options, SandboxEgress egress, IReadOnlyList<string> command, IReadOnlyList<int> hostPorts)
    {
        var ports = hostPorts.Distinct().Order().ToList();
        var inbound = options.Ports.Select(p => p.ContainerPort).Distinct().Order().ToList();
        var variables = ports.Count == 0 ? ProxyVariables : WithHostService(ProxyVariables);
        if (egress.TrustsAuthority)
        {
            variables = variables.Concat(Secrets.SandboxTrust.Variables(SocketDirectory)).ToDictionary(StringComparer.Ordinal);
        }

        return options with
        {
            NetworkMode = "none",
            // Nothing can be published without a network: the relay carries forwarded ports (InboundForward).
            Ports = [],
            Binds =
            [
                .. options.Binds,
                new BindMount(egress.RelayExecutable, RelayPath, ReadOnly: true),
                new BindMount(egress.SocketDirectory, SocketDirectory, ReadOnly: true),
                .. egress.TrustsAuthority
                    ? [new BindMount(Path.Combine(egress.SocketDirectory, Secrets.SandboxTrust.BundleName), Secrets.SandboxTrust.SystemBundle, ReadOnly: true)]
                    : Array.Empty<BindMount>(),
            ],
            ExtraHosts = ports.Count == 0 ? options.ExtraHosts : [.. options.ExtraHosts, $"{Specs.NetworkPolicy.HostServiceName}:{HostServiceAddress}"],
            Environment = options.Environment
                .Where(v => !variables.ContainsKey(v.Key))
                .Concat(variables)
                .ToDictionary(StringComparer.Ordinal),
            Entrypoint =
            [
                RelayPath,
                "--forward", $"{ProxyAddress}={SocketDirectory}/{SocketName}",
                .. ports.SelectMany(p => new[] { "--forward", $"{HostServiceAddress}:{p}={SocketDirectory}/{HostPortSocketName(p)}" }),
                .. inbound.SelectMany(p => new[] { "--inbound", $"{SocketDirectory}/{InboundForward.SocketName(p)}=127.0.0.1:{p}" }),
                "--",
            ],
            Command = command,
        };
    }

    /// <summary>
    /// What <paramref name="command"/> runs once the relay in front of it is taken off: the image of a snapshot of an
    /// allowlist sandbox has the relay (with its arguments, up to <c>--</c>) as its entrypoint, and a sandbox made from it
    /// must not run a relay inside its relay (both would listen on <see cref="ProxyAddress"/>).
    /// </summary>
    public static IReadOnlyList<string> WithoutRelay(IReadOnlyList<string> command)
    {
        var end = command.Count > 0 && command[0] == RelayPath ? command.ToList().IndexOf("--") : -1;
        return end < 0 ? command : command.Skip(end + 1).ToList();
    }

    /// <summary>Host services are reached directly (through their own relay), never through the proxy, which would refuse them.</summary>
    private static Dictionary<string, string> WithHostService(IReadOnlyDictionary<string, string> variables) =>
        variables.ToDictionary(
            v => v.Key,
            v => v.Key is "NO_PROXY" or "no_proxy" ? $"{v.Value},{Specs.NetworkPolicy.HostServiceName},{HostServiceAddress}" : v.Value,
            StringComparer.Ordinal);
}
