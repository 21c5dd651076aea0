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
    };

    /// <summary>
    /// <paramref name="options"/> with the egress wiring: <paramref name="command"/> is what would have run (the spec's,
    /// else the image's entrypoint and command), since the relay becomes the entrypoint.
    /// </summary>
    public static ContainerCreateOptions Apply(ContainerCreateOptions options, SandboxEgress egress, IReadOnlyList<string> command) => options with
    {
        NetworkMode = "none",
        Binds =
        [
            .. options.Binds,
            new BindMount(egress.RelayExecutable, RelayPath, ReadOnly: true),
            new BindMount(egress.SocketDirectory, SocketDirectory, ReadOnly: true),
        ],
        Environment = options.Environment
            .Where(v => !ProxyVariables.ContainsKey(v.Key))
            .Concat(ProxyVariables)
            .ToDictionary(StringComparer.Ordinal),
        Entrypoint = [RelayPath, "--forward", $"{ProxyAddress}={SocketDirectory}/{SocketName}", "--"],
        Command = command,
    };
}
