using System.Text;
using Airlock.Server.Errors;

namespace Airlock.Server.Sandboxes;

/// <summary>Opaque page tokens: the last id of the previous page, base64url-encoded.</summary>
public static class PageToken
{
    public static string Encode(string lastId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Decode(string token) => Decode(token, SandboxIds.IsValid);

    public static string Decode(string token, Func<string, bool> isValidId)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var id = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            if (isValidId(id))
            {
                return id;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw ApiException.BadRequest("pageToken is not a token this server gave out; pass the nextPageToken of the previous page unchanged");
    }
}
