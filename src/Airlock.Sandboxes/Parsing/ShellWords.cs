using System.Text;

namespace Airlock.Sandboxes.Parsing;

/// <summary>POSIX shell word splitting (quotes and backslashes, no expansion), for <c>command:</c> strings and <c>--command</c>.</summary>
public static class ShellWords
{
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }

                i++;
                continue;
            }

            inWord = true;
            switch (c)
            {
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"unclosed single quote at character {i + 1} of: {text}");
                    }

                    current.Append(text, i + 1, close - i - 1);
                    i = close + 1;
                    break;
                case '"':
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new FormatException($"unclosed double quote in: {text}");
                        }

                        if (text[i] == '"')
                        {
                            i++;
                            break;
                        }

                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        current.Append(text[i]);
                        i++;
                    }

                    break;
                case '\\':
                    if (i + 1 >= text.Length)
                    {
                        throw new FormatException($"trailing backslash in: {text}");
                    }

                    current.Append(text[i + 1]);
                    i += 2;
                    break;
                default:
                    current.Append(c);
                    i++;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Quotes argv for display so it can be pasted back into a shell.</summary>
    public static string Join(IEnumerable<string> words) =>
        string.Join(' ', words.Select(w => w.Length > 0 && w.All(ch => char.IsLetterOrDigit(ch) || "-_./=:@%+,".Contains(ch, StringComparison.Ordinal)) ? w : "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
}
