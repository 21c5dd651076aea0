using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Airlock.Server.Sandboxes;

/// <summary>Sandbox ids: <c>sb</c>, the creation time in milliseconds (12 hex digits) and 48 random bits, so ids sort by creation and listings page by id.</summary>
public static partial class SandboxIds
{
    public static string New(TimeProvider time) =>
        "sb" + time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture)
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static bool IsValid(string id) => Pattern().IsMatch(id);

    [GeneratedRegex("^sb[0-9a-f]{24}$")]
    private static partial Regex Pattern();
}
