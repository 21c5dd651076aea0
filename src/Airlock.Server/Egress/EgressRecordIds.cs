using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Airlock.Server.Egress;

/// <summary>
/// Egress record ids: <c>er</c>, the connection's time in microseconds (14 hex digits) and 40 random bits, so a
/// sandbox's records sort by time and page by id.
/// </summary>
public static partial class EgressRecordIds
{
    public static string New(DateTimeOffset at) =>
        "er" + (at.ToUnixTimeMilliseconds() * 1000 + (at.Ticks / 10 % 1000)).ToString("x14", CultureInfo.InvariantCulture)
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    public static bool IsValid(string id) => Pattern().IsMatch(id);

    [GeneratedRegex("^er[0-9a-f]{24}$")]
    private static partial Regex Pattern();
}
