using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Paths;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The egress records launcher sessions left (<c>state/egress/NAMESPACE/SESSION.jsonl</c>), read for
/// <c>airlock egress log</c>: all of them in time order, then, when followed, what each file gains.
/// </summary>
public sealed class EgressRecords(AirlockPaths paths, string? ns)
{
    private readonly Dictionary<string, long> _read = new(StringComparer.Ordinal);

    /// <summary>Lines that were not records (a file cut short by a crash); counted, not fatal.</summary>
    public int Unreadable { get; private set; }

    public string Directory => ns is null ? Path.Combine(paths.StateDir, "egress") : SessionEgress.LogDirectory(paths, ns);

    /// <summary>Everything written since the last call (everything, the first time), oldest first.</summary>
    public IReadOnlyList<(string Namespace, EgressRecord Record)> ReadNew()
    {
        var found = new List<(string, EgressRecord)>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return found;
        }

        var files = ns is null
            ? System.IO.Directory.EnumerateFiles(Directory, "*.jsonl", SearchOption.AllDirectories)
            : System.IO.Directory.EnumerateFiles(Directory, "*.jsonl");
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(Path.GetDirectoryName(file)!);
            foreach (var line in ReadAppended(file))
            {
                if (EgressRecordLine.TryParse(line) is { } record)
                {
                    found.Add((name, record));
                }
                else
                {
                    Unreadable++;
                }
            }
        }

        return found.OrderBy(r => r.Item2.Time).ToList();
    }

    /// <summary>Whole lines appended to <paramref name="file"/> since it was last read; a line still being written waits.</summary>
    private IEnumerable<string> ReadAppended(string file)
    {
        _read.TryGetValue(file, out var offset);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length <= offset)
        {
            return [];
        }

        stream.Position = offset;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n');
        if (complete < 0)
        {
            return [];
        }

        _read[file] = offset + System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete + 1));
        return text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
