using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Airlock.Sandboxes.Egress;

/// <summary>SOCKS5 (RFC 1928): the no-authentication method and the CONNECT command only.</summary>
internal sealed partial class EgressConnection
{
    private const byte Succeeded = 0x00;
    private const byte GeneralFailure = 0x01;
    private const byte NotAllowedByRuleset = 0x02;
    private const byte HostUnreachable = 0x04;
    private const byte CommandNotSupported = 0x07;
    private const byte AddressTypeNotSupported = 0x08;

    private async Task<Socket?> Socks5Async(CancellationToken ct)
    {
        if (!await FillAsync(2, _buffer.Length, ct).ConfigureAwait(false) || !await FillAsync(2 + _buffer[1], _buffer.Length, ct).ConfigureAwait(false))
        {
            await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
            return null;
        }

        var offersNoAuth = _buffer.AsSpan(2, _buffer[1]).Contains((byte)0x00);
        Consume(2 + _buffer[1]);
        if (!offersNoAuth)
        {
            await SendToClientAsync(new byte[] { 5, 0xFF }, ct).ConfigureAwait(false);
            await RecordAsync(EgressVerdict.Refused, EgressReasons.Unsupported).ConfigureAwait(false);
            return null;
        }

        await SendToClientAsync(new byte[] { 5, 0 }, ct).ConfigureAwait(false);
        if (!await FillAsync(5, _buffer.Length, ct).ConfigureAwait(false))
        {
            await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
            return null;
        }

        if (_buffer[0] != 5 || _buffer[2] != 0)
        {
            return await SocksRefuseAsync(GeneralFailure, EgressReasons.BadRequest, ct).ConfigureAwait(false);
        }

        if (_buffer[1] != 1)
        {
            return await SocksRefuseAsync(CommandNotSupported, EgressReasons.Unsupported, ct).ConfigureAwait(false);
        }

        var addressLength = _buffer[3] switch { 1 => 4, 4 => 16, 3 => 1 + _buffer[4], _ => -1 };
        if (addressLength < 0)
        {
            return await SocksRefuseAsync(AddressTypeNotSupported, EgressReasons.Unsupported, ct).ConfigureAwait(false);
        }

        var requestLength = 4 + addressLength + 2;
        if (!await FillAsync(requestLength, _buffer.Length, ct).ConfigureAwait(false))
        {
            await RecordAsync(EgressVerdict.Refused, EgressReasons.ClientClosed).ConfigureAwait(false);
            return null;
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(requestLength - 2, 2));
        string? host;
        if (_buffer[3] == 3)
        {
            var name = _buffer.AsSpan(5, addressLength - 1);
            if (name.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E) || !EgressAuthority.TryNormaliseHost(Encoding.ASCII.GetString(name), out host, out _))
            {
                Consume(requestLength);
                return await SocksRefuseAsync(GeneralFailure, EgressReasons.BadRequest, ct).ConfigureAwait(false);
            }
        }
        else
        {
            host = EgressHost.Canonical(new IPAddress(_buffer.AsSpan(4, addressLength))).ToString();
        }

        Consume(requestLength);
        _destination = new EgressDestination(host, port);
        if (port == 0)
        {
            return await SocksRefuseAsync(GeneralFailure, EgressReasons.BadRequest, ct).ConfigureAwait(false);
        }

        var (decision, candidates) = await DecideAsync(ct).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            var code = decision.Reason == EgressReasons.ResolveFailed ? HostUnreachable : NotAllowedByRuleset;
            return await SocksRefuseAsync(code, decision.Reason, ct).ConfigureAwait(false);
        }

        // Bound address 0.0.0.0:0: where the proxy's own socket is would tell the sandbox about the host.
        await SendToClientAsync(new byte[] { 5, Succeeded, 0, 1, 0, 0, 0, 0, 0, 0 }, ct).ConfigureAwait(false);
        return await OpenTunnelAsync(candidates, ct).ConfigureAwait(false);
    }

    private async Task<Socket?> SocksRefuseAsync(byte code, string reason, CancellationToken ct)
    {
        try
        {
            await SendToClientAsync(new byte[] { 5, code, 0, 1, 0, 0, 0, 0, 0, 0 }, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // Gone already; the record says why it would have been refused.
        }

        await RecordAsync(EgressVerdict.Refused, reason).ConfigureAwait(false);
        return null;
    }
}
