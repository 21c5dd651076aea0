namespace Airlock.Sandboxes.Mcp;

/// <summary>Keeps the first <c>cap</c> bytes written to it and counts the rest.</summary>
internal sealed class CappedBuffer(int cap)
{
    private readonly MemoryStream _kept = new();

    public long Total { get; private set; }

    public bool Overflowed => Total > cap;

    public void Append(ReadOnlySpan<byte> data)
    {
        Total += data.Length;
        var room = cap - (int)_kept.Length;
        if (room > 0)
        {
            _kept.Write(data[..Math.Min(room, data.Length)]);
        }
    }

    public byte[] ToArray() => _kept.ToArray();

    /// <summary>The kept bytes as text; a character cut at the cap (or not UTF-8) becomes U+FFFD.</summary>
    public string ToText() => System.Text.Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
}
