using System.Buffers.Binary;
using System.Text;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// Reads the server name (SNI) from the first bytes a client sends in a tunnel, if they are a TLS ClientHello. The bytes
/// are hostile: every length is checked against what is there, the handshake may span records (reassembled up to
/// <see cref="MaxHandshakeBytes"/>), and nothing is allocated beyond that bound.
/// </summary>
internal static class TlsClientHello
{
    /// <summary>The largest ClientHello accepted; real ones, post-quantum key shares included, are a few KiB.</summary>
    public const int MaxHandshakeBytes = 16 * 1024;

    private const int RecordHeader = 5;
    private const byte HandshakeRecord = 22;
    private const byte ClientHelloType = 1;

    public enum Status
    {
        /// <summary>Not a TLS handshake record: the tunnel carries something else.</summary>
        NotTls,

        /// <summary>More bytes are needed: at least <see cref="Result.Needed"/> in all.</summary>
        NeedMore,

        /// <summary>A TLS handshake that is not a well-formed ClientHello, or one too large.</summary>
        Malformed,

        /// <summary>A ClientHello; <see cref="Result.ServerName"/> is its host_name, or null when it sends none.</summary>
        Parsed,
    }

    public readonly record struct Result(Status Status, int Needed = 0, string? ServerName = null);

    /// <summary>Inspects the bytes received so far (from the first byte of the tunnel).</summary>
    public static Result Inspect(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return new Result(Status.NeedMore, 1);
        }

        if (data[0] != HandshakeRecord)
        {
            return new Result(Status.NotTls);
        }

        // Gather the handshake message from consecutive handshake records, without copying until it is whole.
        byte[]? gathered = null;
        var messageLength = -1;
        var have = 0;
        var offset = 0;
        while (true)
        {
            if (data.Length < offset + RecordHeader)
            {
                return new Result(Status.NeedMore, offset + RecordHeader);
            }

            if (data[offset] != HandshakeRecord || data[offset + 1] != 3)
            {
                return new Result(offset == 0 && data[1] != 3 ? Status.NotTls : Status.Malformed);
            }

            var recordLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 3, 2));
            if (recordLength is 0 or > 16384 + 256)
            {
                return new Result(Status.Malformed);
            }

            if (data.Length < offset + RecordHeader + recordLength)
            {
                return new Result(Status.NeedMore, offset + RecordHeader + recordLength);
            }

            var fragment = data.Slice(offset + RecordHeader, recordLength);
            offset += RecordHeader + recordLength;
            if (messageLength < 0)
            {
                if (fragment.Length < 4)
                {
                    // A header split across records is legal but absurd; refusing it bounds the work.
                    return new Result(Status.Malformed);
                }

                if (fragment[0] != ClientHelloType)
                {
                    return new Result(Status.Malformed);
                }

                messageLength = (fragment[1] << 16) | (fragment[2] << 8) | fragment[3];
                if (messageLength > MaxHandshakeBytes)
                {
                    return new Result(Status.Malformed);
                }

                fragment = fragment[4..];
                if (fragment.Length >= messageLength)
                {
                    return Parse(fragment[..messageLength]);
                }

                gathered = new byte[messageLength];
            }

            var take = Math.Min(fragment.Length, messageLength - have);
            fragment[..take].CopyTo(gathered.AsSpan(have));
            have += take;
            if (have == messageLength)
            {
                return Parse(gathered);
            }
        }
    }

    private static Result Parse(ReadOnlySpan<byte> hello)
    {
        var r = new Reader(hello);
        if (!r.Skip(2 + 32) || !r.SkipVector(1) || !r.SkipVector(2) || !r.SkipVector(1))
        {
            return new Result(Status.Malformed);
        }

        if (r.Remaining == 0)
        {
            return new Result(Status.Parsed);
        }

        if (!r.Vector(2, out var extensions) || r.Remaining != 0)
        {
            return new Result(Status.Malformed);
        }

        string? name = null;
        var e = new Reader(extensions);
        while (e.Remaining > 0)
        {
            if (!e.UInt16(out var type) || !e.Vector(2, out var body))
            {
                return new Result(Status.Malformed);
            }

            if (type != 0)
            {
                continue;
            }

            if (name is not null)
            {
                // Two server_name extensions: which one a server reads is anyone's guess, so neither is trusted.
                return new Result(Status.Malformed);
            }

            var b = new Reader(body);
            if (!b.Vector(2, out var list) || b.Remaining != 0)
            {
                return new Result(Status.Malformed);
            }

            var l = new Reader(list);
            while (l.Remaining > 0)
            {
                if (!l.Byte(out var nameType) || !l.Vector(2, out var hostName))
                {
                    return new Result(Status.Malformed);
                }

                if (nameType != 0)
                {
                    continue;
                }

                if (name is not null || hostName.Length == 0 || hostName.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
                {
                    return new Result(Status.Malformed);
                }

                name = Encoding.ASCII.GetString(hostName);
            }

            if (name is null)
            {
                return new Result(Status.Malformed);
            }
        }

        return new Result(Status.Parsed, ServerName: name);
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public readonly int Remaining => _data.Length;

        public bool Skip(int count)
        {
            if (_data.Length < count)
            {
                return false;
            }

            _data = _data[count..];
            return true;
        }

        public bool Byte(out byte value)
        {
            value = 0;
            if (_data.Length < 1)
            {
                return false;
            }

            value = _data[0];
            _data = _data[1..];
            return true;
        }

        public bool UInt16(out int value)
        {
            value = 0;
            if (_data.Length < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt16BigEndian(_data);
            _data = _data[2..];
            return true;
        }

        public bool Vector(int lengthBytes, out ReadOnlySpan<byte> body)
        {
            body = default;
            int length;
            if (lengthBytes == 1)
            {
                if (!Byte(out var b))
                {
                    return false;
                }

                length = b;
            }
            else if (!UInt16(out length))
            {
                return false;
            }

            if (_data.Length < length)
            {
                return false;
            }

            body = _data[..length];
            _data = _data[length..];
            return true;
        }

        public bool SkipVector(int lengthBytes) => Vector(lengthBytes, out _);
    }
}
