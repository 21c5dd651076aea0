using System.Globalization;

namespace Airlock.Launcher.Config;

/// <summary>Sizes as people write them: <c>512m</c>, <c>8g</c>, <c>1.5GiB</c>, or plain bytes.</summary>
public static class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim().ToLowerInvariant().Replace("ib", "", StringComparison.Ordinal).TrimEnd('b');
        long factor = 1;
        if (t.Length > 0 && "kmgt".Contains(t[^1], StringComparison.Ordinal))
        {
            factor = t[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1L << 40 };
            t = t[..^1];
        }

        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return false;
        }

        bytes = (long)(value * factor);
        return true;
    }

    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}g" : bytes % (1L << 20) == 0 ? $"{bytes >> 20}m" : bytes.ToString(CultureInfo.InvariantCulture);
}
