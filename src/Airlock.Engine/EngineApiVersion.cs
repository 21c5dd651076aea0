using System.Globalization;

namespace Airlock.Engine;

/// <summary>A <c>major.minor</c> Engine API version, compared numerically (1.9 &lt; 1.41).</summary>
public readonly record struct EngineApiVersion(int Major, int Minor) : IComparable<EngineApiVersion>
{
    /// <summary>What Airlock is written against: Debian's Docker 20.10 and podman 4 both serve it.</summary>
    public static readonly EngineApiVersion Pinned = new(1, 41);

    /// <summary>The oldest version whose fields Airlock relies on.</summary>
    public static readonly EngineApiVersion Minimum = new(1, 40);

    public static EngineApiVersion Parse(string text)
    {
        if (!TryParse(text, out var v))
        {
            throw new FormatException($"'{text}' is not an Engine API version (expected MAJOR.MINOR, e.g. 1.41)");
        }

        return v;
    }

    public static bool TryParse(string? text, out EngineApiVersion version)
    {
        version = default;
        var parts = (text ?? "").Trim().Split('.');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new EngineApiVersion(major, minor);
        return true;
    }

    /// <summary>The highest version both sides speak: ours, capped by the server's maximum.</summary>
    public static EngineApiVersion Negotiate(EngineApiVersion serverMaximum)
    {
        var chosen = serverMaximum < Pinned ? serverMaximum : Pinned;
        if (chosen < Minimum)
        {
            throw new Errors.EngineApiTooOldException(serverMaximum.ToString(), Minimum.ToString());
        }

        return chosen;
    }

    public int CompareTo(EngineApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(EngineApiVersion a, EngineApiVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(EngineApiVersion a, EngineApiVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(EngineApiVersion a, EngineApiVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(EngineApiVersion a, EngineApiVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
