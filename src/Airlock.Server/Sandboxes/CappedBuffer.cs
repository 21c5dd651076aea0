using System.Text;

namespace Airlock.Server.Sandboxes;

/// <summary>Keeps the first <c>cap</c> bytes written to it and notes that more came.</summary>
internal sealed class CappedBuffer(int cap)
{
    private readonly MemoryStream _bytes = new();

    public bool Truncated { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        var room = cap - (int)_bytes.Length;
        if (data.Length > room)
        {
            Truncated = true;
            data = data[..Math.Max(room, 0)];
        }

        _bytes.Write(data);
    }

    public override string ToString() => Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
}
