using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests.Display;

/// <summary>
/// <c>--display x11</c> against a real X server (Xvfb with a cookie): a client inside the sandbox completes the X11
/// connection handshake through the forwarded socket with the forwarded Xauthority cookie; without forwarding it cannot.
/// </summary>
public sealed class X11ForwardingTests(SharedNamespaces shared)
{
    /// <summary>
    /// A minimal X11 client in perl (perl-base is in every Debian image): it reads the cookie for $DISPLAY from
    /// $XAUTHORITY, sends the connection setup request and prints whether the server accepted it.
    /// </summary>
    private const string Probe = """
        use IO::Socket::UNIX;
        my ($n) = ($ENV{DISPLAY} =~ /:(\d+)/);
        my ($name, $data) = ("", "");
        if (defined $ENV{XAUTHORITY} && open(my $f, "<", $ENV{XAUTHORITY})) {
          binmode $f; local $/; my $b = <$f>; my $o = 0;
          while ($o + 2 <= length $b) {
            $o += 2; my @s;
            for (1..4) { my $l = unpack("n", substr($b, $o, 2)); push @s, substr($b, $o + 2, $l); $o += 2 + $l; }
            if ($s[1] eq $n) { ($name, $data) = ($s[2], $s[3]); last; }
          }
        }
        sub pad { my $s = shift; $s . ("\0" x ((4 - length($s) % 4) % 4)) }
        my $s = IO::Socket::UNIX->new(Peer => "/tmp/.X11-unix/X$n") or do { print "NO-X-SOCKET\n"; exit 0 };
        print $s pack("A1 x v v v v x2", "l", 11, 0, length $name, length $data) . pad($name) . pad($data);
        read($s, my $reply, 8) == 8 or die "short reply\n";
        print unpack("C", $reply) == 1 ? "X11-CONNECTED\n" : "X11-REFUSED\n";
        """;

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Display_x11_lets_a_client_inside_connect_to_the_hosts_X_server_with_its_cookie(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var x = await XvfbServer.StartAsync();
        var env = new Dictionary<string, string?> { ["DISPLAY"] = x.Display, ["XAUTHORITY"] = x.Xauthority };

        var inside = (await ws.RunAsync([ns.Name, "--display", "x11", "--", "sh", "-c", "echo DISPLAY=$DISPLAY; perl -e \"$0\"", Probe], env: env)).ShouldSucceed();

        Engines.Lines(inside.Stdout).ShouldBe([$"DISPLAY={x.Display}", "X11-CONNECTED"], inside.Stdout + inside.Stderr);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Without_the_cookie_the_X_server_refuses_so_the_forwarded_one_is_what_counts(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var x = await XvfbServer.StartAsync();
        // The socket is forwarded (x11), the cookie is not: XAUTHORITY points nowhere on the host.
        var env = new Dictionary<string, string?> { ["DISPLAY"] = x.Display, ["XAUTHORITY"] = Path.Combine(ws.Root, "no-such-xauthority") };

        var inside = (await ws.RunAsync([ns.Name, "--display", "x11", "--", "perl", "-e", Probe], env: env)).ShouldSucceed();

        inside.Stdout.Trim().ShouldBe("X11-REFUSED", "the probe is a real client: a server that requires a cookie turns it away without one");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Display_none_forwards_nothing_of_the_X_server(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        await using var x = await XvfbServer.StartAsync();
        var env = new Dictionary<string, string?> { ["DISPLAY"] = x.Display, ["XAUTHORITY"] = x.Xauthority };

        var inside = (await ws.RunAsync([ns.Name, "--display", "none", "--", "sh", "-c", "echo DISPLAY=${DISPLAY:-unset}; DISPLAY=" + x.Display + " perl -e \"$0\"", Probe], env: env)).ShouldSucceed();

        Engines.Lines(inside.Stdout).ShouldBe(["DISPLAY=unset", "NO-X-SOCKET"], inside.Stdout + inside.Stderr);
    }
}
