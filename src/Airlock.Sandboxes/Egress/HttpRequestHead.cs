using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Airlock.Sandboxes.Egress;

/// <summary>
/// A request head as a proxy client sent it, parsed strictly: CRLF line ends only, token methods and header names, no
/// folded lines, no control characters. Whatever two parsers could read differently is refused, not guessed at.
/// </summary>
internal sealed record HttpRequestHead(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The end of the head in <paramref name="data"/> (just past the blank line), or -1 when it has not all arrived.</summary>
    public static int FindEnd(ReadOnlySpan<byte> data)
    {
        var i = data.IndexOf("\r\n\r\n"u8);
        return i < 0 ? -1 : i + 4;
    }

    public static bool TryParse(ReadOnlySpan<byte> head, [NotNullWhen(true)] out HttpRequestHead? request, [NotNullWhen(false)] out string? problem)
    {
        request = null;
        // Latin-1 keeps every byte one char, so nothing is lost or merged by decoding.
        var text = Encoding.Latin1.GetString(head[..^4]);
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !IsToken(requestLine[0]) || requestLine[1].Length == 0 || requestLine[1].Any(c => c <= ' ' || c >= 0x7F))
        {
            problem = "the request line is not METHOD TARGET HTTP/1.1";
            return false;
        }

        if (requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            problem = "only HTTP/1.0 and HTTP/1.1 are spoken";
            return false;
        }

        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                problem = "a header line is not NAME: VALUE (folded lines are not accepted)";
                return false;
            }

            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (value.Any(c => (c < ' ' && c != '\t') || c == 0x7F))
            {
                problem = "a header value holds control characters";
                return false;
            }

            headers.Add(new(line[..colon], value));
        }

        request = new HttpRequestHead(requestLine[0], requestLine[1], requestLine[2], headers);
        problem = null;
        return true;
    }

    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    private static bool IsToken(string s) =>
        s.Length > 0 && s.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~');
}
