using System.Text;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The entries of a git config file (git-config(1)'s syntax: sections with optional quoted subsections, keys with or
/// without values, quotes, escapes, comments and line continuations), and their rendering back to that syntax.
/// Enough to read a few keys and write a filtered copy; includes are not followed.
/// </summary>
public sealed record GitConfigFile(IReadOnlyList<GitConfigEntry> Entries)
{
    public static GitConfigFile Parse(string text)
    {
        var entries = new List<GitConfigEntry>();
        string section = "", subsection = "";
        var reader = new Reader(text.Replace("\r\n", "\n", StringComparison.Ordinal));
        while (!reader.AtEnd)
        {
            reader.SkipWhitespace();
            var c = reader.Peek();
            if (c is '\n')
            {
                reader.Next();
            }
            else if (c is '#' or ';')
            {
                reader.SkipLine();
            }
            else if (c is '[')
            {
                (section, subsection) = reader.SectionHeader();
            }
            else if (char.IsAsciiLetter(c))
            {
                var key = reader.Name();
                reader.SkipWhitespace();
                string? value = null;
                if (reader.Peek() == '=')
                {
                    reader.Next();
                    value = reader.Value();
                }
                else
                {
                    reader.SkipLine();
                }

                entries.Add(new GitConfigEntry(section, subsection, key.ToLowerInvariant(), value));
            }
            else
            {
                reader.SkipLine(); // not git's syntax: git itself would refuse the file; nothing of it is kept
            }
        }

        return new GitConfigFile(entries);
    }

    /// <summary>The last value of <c>section.key</c> (no subsection), as git reads it; null when unset.</summary>
    public string? Get(string section, string key) =>
        Entries.LastOrDefault(e => e.Section == section && e.Subsection.Length == 0 && e.Key == key) is { } entry ? entry.Value ?? "true" : null;

    public string Render()
    {
        var text = new StringBuilder();
        (string, string)? current = null;
        foreach (var entry in Entries)
        {
            if (current != (entry.Section, entry.Subsection))
            {
                current = (entry.Section, entry.Subsection);
                text.Append('[').Append(entry.Section);
                if (entry.Subsection.Length > 0)
                {
                    text.Append(" \"").Append(entry.Subsection.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
                }

                text.Append("]\n");
            }

            text.Append('\t').Append(entry.Key);
            if (entry.Value is { } value)
            {
                text.Append(" = \"").Append(Escape(value)).Append('"');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\t", "\\t", StringComparison.Ordinal)
        .Replace("\b", "\\b", StringComparison.Ordinal);

    private sealed class Reader(string text)
    {
        private int _at;

        public bool AtEnd => _at >= text.Length;

        public char Peek() => AtEnd ? '\n' : text[_at];

        public char Next() => AtEnd ? '\n' : text[_at++];

        public void SkipWhitespace()
        {
            while (!AtEnd && text[_at] is ' ' or '\t')
            {
                _at++;
            }
        }

        public void SkipLine()
        {
            while (!AtEnd && Next() != '\n')
            {
            }
        }

        public string Name()
        {
            var start = _at;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '-' or '.' or '_'))
            {
                _at++;
            }

            return text[start.._at];
        }

        /// <summary><c>[name]</c>, <c>[name "sub"]</c> (sub case-sensitive, with escapes) or the old <c>[name.sub]</c>.</summary>
        public (string Section, string Subsection) SectionHeader()
        {
            Next(); // [
            SkipWhitespace();
            var name = Name();
            var sub = "";
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot >= 0)
            {
                sub = name[(dot + 1)..].ToLowerInvariant();
                name = name[..dot];
            }

            SkipWhitespace();
            if (Peek() == '"')
            {
                Next();
                var quoted = new StringBuilder();
                while (!AtEnd && Peek() is not ('"' or '\n'))
                {
                    var c = Next();
                    quoted.Append(c == '\\' && !AtEnd ? Next() : c);
                }

                Next();
                sub = quoted.ToString();
            }

            while (!AtEnd && Peek() is not (']' or '\n'))
            {
                Next();
            }

            if (Peek() == ']')
            {
                Next();
            }

            return (name.ToLowerInvariant(), sub);
        }

        /// <summary>The rest of the entry: quotes removed, escapes decoded, continuations joined, comments dropped.</summary>
        public string Value()
        {
            var value = new StringBuilder();
            var quoted = false;
            var pendingSpace = 0;
            SkipWhitespace();
            while (!AtEnd)
            {
                var c = Next();
                if (c == '\n' && !quoted)
                {
                    break;
                }

                if (!quoted && c is '#' or ';')
                {
                    SkipLine();
                    break;
                }

                if (c == '\\')
                {
                    var escaped = Next();
                    switch (escaped)
                    {
                        case '\n': continue; // a continuation line
                        case 'n': c = '\n'; break;
                        case 't': c = '\t'; break;
                        case 'b': c = '\b'; break;
                        default: c = escaped; break;
                    }
                }
                else if (c == '"')
                {
                    quoted = !quoted;
                    continue;
                }
                else if (!quoted && c is ' ' or '\t')
                {
                    pendingSpace++; // kept only if something follows: trailing blanks are not part of the value
                    continue;
                }

                value.Append(' ', pendingSpace).Append(c);
                pendingSpace = 0;
            }

            return value.ToString();
        }
    }
}

/// <summary>One <c>key = value</c> line; names lower-cased as git compares them (subsections keep their case).</summary>
/// <param name="Value">Null for a bare <c>key</c> (git reads it as true).</param>
public sealed record GitConfigEntry(string Section, string Subsection, string Key, string? Value);
