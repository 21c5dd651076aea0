using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Airlock.Server.Audit;

/// <summary>
/// The chain's link: SHA-256 over the previous hash and the entry's fields, encoded as a JSON array so no two different
/// entries can serialise alike (a field containing a separator cannot shift into the next).
/// </summary>
public static class AuditHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(string prevHash, long seq, long atMillis, string actor, string? tenantId, string action, string? target, string result, long status)
    {
        var fields = new[]
        {
            prevHash, seq.ToString(CultureInfo.InvariantCulture), atMillis.ToString(CultureInfo.InvariantCulture), actor, tenantId, action, target, result,
            status.ToString(CultureInfo.InvariantCulture),
        };
        var canonical = JsonSerializer.Serialize(fields, AuditJsonContext.Default.StringArray);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
