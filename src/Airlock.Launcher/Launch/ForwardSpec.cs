using System.Globalization;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>
/// Parses <c>--forward</c>: <c>PORT</c>, <c>HOST:CONTAINER</c>, <c>ADDR:HOST:CONTAINER</c>, <c>:HOST:CONTAINER</c>
/// (all interfaces) and <c>[::1]:HOST:CONTAINER</c>. Without an address the port is published on loopback only.
/// </summary>
public static class ForwardSpec
{
    public static PortForward Parse(string text)
    {
        var value = text.Trim();
        string? address = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= value.Length || value[close + 1] != ':')
            {
                throw Bad(text, "an IPv6 address must be written [ADDR]:HOST:CONTAINER, e.g. [::1]:8080:80");
            }

            address = value[1..close];
            value = value[(close + 2)..];
        }

        var parts = value.Split(':');
        (string? addr, string host, string container) = (address, parts) switch
        {
            (null, [var c]) => (null, c, c),
            (null, [var h, var c]) => (null, h, c),
            (null, ["", var h, var c]) => ("0.0.0.0", h, c),
            (null, [var a, var h, var c]) => (a, h, c),
            (not null, [var h, var c]) => (address, h, c),
            _ => throw Bad(text, "use PORT, HOST:CONTAINER, ADDR:HOST:CONTAINER, :HOST:CONTAINER or [IPv6]:HOST:CONTAINER"),
        };

        var containerPort = Port(text, container, "container port");
        var hostPort = Port(text, host, "host port");
        addr ??= "127.0.0.1";
        if (!System.Net.IPAddress.TryParse(addr, out _))
        {
            throw Bad(text, $"'{addr}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, [::1])");
        }

        return new PortForward(containerPort, hostPort, addr);
    }

    private static int Port(string text, string value, string what) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535
            ? p
            : throw Bad(text, $"{what} '{value}' is not a port (1-65535)");

    private static LauncherException Bad(string text, string why) => new($"--forward '{text}': {why}");
}
