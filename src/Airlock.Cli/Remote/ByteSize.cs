using System.Globalization;
using Airlock.Cli.Errors;

namespace Airlock.Cli.Remote;

/// <summary>Sizes as people write them: 1073741824, 512m, 1g, 1.5GiB (binary units, as podman and Docker read them).</summary>
public static class ByteSize
{
    public static long? Parse(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim().ToLowerInvariant();
        var unit = trimmed.TrimStart("0123456789.".ToCharArray());
        var number = trimmed[..^unit.Length];
        var factor = unit switch
        {
            "" or "b" => 1L,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            _ => 0L,
        };
        if (factor == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new UserInputException($"{option} '{text}' is not a size", $"write bytes or a number with a unit, e.g. {option} 512m or {option} 2g");
        }

        return (long)Math.Round(value * factor);
    }
}
