using System.Net.Sockets;
using Airlock.Relay;

// airlock-relay runs inside a sandbox whose only network is loopback: it listens on the loopback addresses it is
// given and carries each connection to a unix socket mounted from outside (Airlock's egress policy point), keeps
// connections parked on the host's inbound sockets for the ports forwarded in, then runs the sandbox's command as its
// child. See docs/design/egress.md.
var (options, errors) = RelayOptions.Parse(args);
if (options is null)
{
    foreach (var problem in errors)
    {
        Console.Error.WriteLine($"airlock-relay: {problem}");
    }

    Console.Error.WriteLine(RelayOptions.Usage);
    return 2;
}

var relays = new List<SocketRelay>();
var inbounds = new List<InboundRelay>();
try
{
    foreach (var inbound in options.Inbounds)
    {
        inbounds.Add(InboundRelay.Start(inbound));
    }

    foreach (var forward in options.Forwards)
    {
        try
        {
            relays.Add(SocketRelay.Bind(forward));
        }
        catch (SocketException e)
        {
            // 125, as engines do, so that a relay that could not start is not mistaken for the command's own status.
            Console.Error.WriteLine($"airlock-relay: --forward {forward}: cannot listen on {forward.Listen}: {e.Message}; pick a port nothing in the image listens on");
            return 125;
        }
    }

    return await ChildCommand.RunAsync(options.Command, Console.Error);
}
finally
{
    foreach (var relay in relays)
    {
        await relay.DisposeAsync();
    }

    foreach (var inbound in inbounds)
    {
        await inbound.DisposeAsync();
    }
}
