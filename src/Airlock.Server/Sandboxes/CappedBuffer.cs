using System.Text;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Keeps the first <c>cap</c> bytes written to it and notes that more came. Written by the task reading an exec's
/// output and read by the request answering it, possibly while output still comes: <see cref="Seal"/> takes the text
/// and drops everything written after.
/// </summary>
internal sealed class CappedBuffer(int cap)
{
    private readonly MemoryStream _bytes = new();
    private bool _sealed;

    public bool Truncated { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_bytes)
        {
            if (_sealed)
            {
                return;
            }

            var room = cap - (int)_bytes.Length;
            if (data.Length > room)
            {
                Truncated = true;
                data = data[..Math.Max(room, 0)];
            }

            _bytes.Write(data);
        }
    }

    /// <summary>The text kept so far; nothing written later is kept.</summary>
    public string Seal()
    {
        lock (_bytes)
        {
            _sealed = true;
            return Encoding.UTF8.GetString(_bytes.GetBuffer(), 0, (int)_bytes.Length);
        }
    }
}
