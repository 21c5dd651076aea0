using System.Net;

namespace Airlock.Relay;

/// <summary>What <c>airlock-relay --forward ADDR:PORT=SOCKET ... -- COMMAND [ARGS]</c> was asked.</summary>
internal sealed record RelayOptions(IReadOnlyList<Forward> Forwards, IReadOnlyList<string> Command)
{
    public const string Usage =
        "usage: airlock-relay --forward ADDRESS:PORT=SOCKET [--forward ...] [--inbound SOCKET=ADDRESS:PORT ...] -- COMMAND [ARGS...]\n" +
        "  e.g. airlock-relay --forward 127.0.0.1:3128=/run/airlock/egress/proxy.sock --inbound /run/airlock/egress/inbound-8080.sock=127.0.0.1:8080 -- bash -l";

    /// <summary>Ports inside the host forwards to (<c>--inbound</c>).</summary>
    public IReadOnlyList<Inbound> Inbounds { get; init; } = [];

    /// <summary>Reads the arguments, or returns every problem found (never a half-read result).</summary>
    public static (RelayOptions? Options, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args)
    {
        var errors = new List<string>();
        var forwards = new List<Forward>();
        var i = 0;
        var inbounds = new List<Inbound>();
        for (; i < args.Count && args[i] != "--"; i++)
        {
            if (args[i] == "--inbound")
            {
                if (++i >= args.Count || args[i] == "--")
                {
                    errors.Add("--inbound needs SOCKET=ADDRESS:PORT, e.g. --inbound /run/airlock/egress/inbound-8080.sock=127.0.0.1:8080");
                    i--;
                }
                else if (ParseInbound(args[i]) is { } inbound)
                {
                    inbounds.Add(inbound);
                }
                else
                {
                    errors.Add($"--inbound {args[i]}: expected SOCKET=ADDRESS:PORT with an absolute socket path, a loopback IP address and a port 1-65535, e.g. /run/airlock/egress/inbound-8080.sock=127.0.0.1:8080");
                }

                continue;
            }

            if (args[i] != "--forward")
            {
                errors.Add($"{args[i]}: unknown argument; the command goes after --");
                continue;
            }

            if (++i >= args.Count || args[i] == "--")
            {
                errors.Add("--forward needs ADDRESS:PORT=SOCKET, e.g. --forward 127.0.0.1:3128=/run/airlock/egress/proxy.sock");
                i--;
                continue;
            }

            if (ParseForward(args[i]) is { } forward)
            {
                forwards.Add(forward);
            }
            else
            {
                errors.Add($"--forward {args[i]}: expected ADDRESS:PORT=SOCKET with a loopback IP address, a port 1-65535 and an absolute socket path, e.g. 127.0.0.1:3128=/run/airlock/egress/proxy.sock");
            }
        }

        var command = i < args.Count ? args.Skip(i + 1).ToArray() : [];
        if (command.Length == 0)
        {
            errors.Add("no command: give it after --, e.g. -- bash -l");
        }

        foreach (var duplicate in forwards.GroupBy(f => f.Listen).Where(g => g.Count() > 1))
        {
            errors.Add($"--forward {duplicate.Key}: given {duplicate.Count()} times; each address can listen once");
        }

        return errors.Count == 0 ? (new RelayOptions(forwards, command) { Inbounds = inbounds }, []) : (null, errors);
    }

    private static Forward? ParseForward(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            return null;
        }

        var socket = text[(equals + 1)..];
        // Only loopback: the relay exists so that nothing but this sandbox's own processes can use the socket.
        if (!IPEndPoint.TryParse(text[..equals], out var listen) || !IPAddress.IsLoopback(listen.Address)
            || listen.Port == 0 || !text[..equals].Contains(':', StringComparison.Ordinal)
            || !socket.StartsWith('/') || socket.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        return new Forward(listen, socket);
    }

    private static Inbound? ParseInbound(string text)
    {
        var equals = text.LastIndexOf('=');
        if (equals <= 0 || equals == text.Length - 1)
        {
            return null;
        }

        var socket = text[..equals];
        var target = text[(equals + 1)..];
        // Only loopback: the relay carries the host's clients to this sandbox's own services, nowhere else.
        return !socket.StartsWith('/') || socket.Contains('\0', StringComparison.Ordinal)
            || !IPEndPoint.TryParse(target, out var endpoint) || !IPAddress.IsLoopback(endpoint.Address)
            || endpoint.Port == 0 || !target.Contains(':', StringComparison.Ordinal)
            ? null
            : new Inbound(socket, endpoint);
    }

    /// <summary>For messages: the command as a shell would show it.</summary>
    public string CommandLine => string.Join(' ', Command.Select(a => a.Contains(' ', StringComparison.Ordinal) ? "'" + a + "'" : a));
}
