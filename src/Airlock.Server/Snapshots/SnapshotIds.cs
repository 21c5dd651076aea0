using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Airlock.Server.Snapshots;

/// <summary>Snapshot ids: <c>sn</c>, the creation time in milliseconds (12 hex digits) and 48 random bits, so they sort by creation and page by id.</summary>
public static partial class SnapshotIds
{
    /// <summary>Every snapshot image is a tag of this repository; the tag is the snapshot's id.</summary>
    public const string Repository = "localhost/airlock-snapshot";

    public static string New(TimeProvider time) =>
        "sn" + time.GetUtcNow().ToUnixTimeMilliseconds().ToString("x12", System.Globalization.CultureInfo.InvariantCulture)
        + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static bool IsValid(string id) => Pattern().IsMatch(id);

    public static string ImageFor(string id) => $"{Repository}:{id}";

    [GeneratedRegex("^sn[0-9a-f]{24}$")]
    private static partial Regex Pattern();
}
