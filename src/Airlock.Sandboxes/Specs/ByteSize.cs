using System.Globalization;
using System.Text.RegularExpressions;

namespace Airlock.Sandboxes.Specs;

/// <summary>
/// The one way Airlock reads a size, wherever one is written (config.yaml, a CLI flag, <c>serve --node</c>): plain bytes,
/// or a number with a unit k, m, g or t, optionally followed by b or ib, in any case: 1073741824, 512m, 512MB, 1.5GiB.
/// Units are binary (1k = 1024), as podman and Docker read memory limits. What range a size may have is the caller's
/// rule (0 lifts a config limit; a node's capacity must be positive).
/// </summary>
public static partial class ByteSize
{
    /// <summary>The grammar in words, for error messages.</summary>
    public const string Grammar = "bytes, or a number with k, m, g or t (binary: 1k = 1024), e.g. 512m or 1.5g";

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var match = text is null ? null : Size().Match(text.Trim());
        if (match is not { Success: true }
            || !decimal.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var shift = match.Groups["unit"].Value.ToLowerInvariant() switch { "k" => 10, "m" => 20, "g" => 30, "t" => 40, _ => 0 };
        if (number > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = (long)decimal.Floor(number * (1L << shift));
        return true;
    }

    /// <summary>The largest whole unit that writes <paramref name="bytes"/> exactly (8g, 1536m, 1000), which <see cref="TryParse"/> reads back.</summary>
    public static string Format(long bytes) =>
        bytes != 0 && bytes % (1L << 30) == 0 ? $"{bytes >> 30}g"
        : bytes != 0 && bytes % (1L << 20) == 0 ? $"{bytes >> 20}m"
        : bytes.ToString(CultureInfo.InvariantCulture);

    // ASCII digits only ([0-9], not \d, which takes any script's), few enough that the number always fits a decimal.
    [GeneratedRegex(@"^(?<number>[0-9]{1,20}(\.[0-9]{1,20})?)\s*(?:(?<unit>[kmgt])(?:ib|b)?|b)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Size();
}
