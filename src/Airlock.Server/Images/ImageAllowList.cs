using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Validation;

namespace Airlock.Server.Images;

/// <summary>
/// The images tenants may name in <c>image</c>. An entry is a repository (<c>docker.io/library/python</c>: every tag of
/// it, but no digest), a tagged reference (that tag only) or a digested reference (that digest only): a digest is never
/// allowed through its repository, since an engine may resolve <c>allowed-repo@sha256:X</c> to any image with digest X.
/// Airlock's own repositories cannot be listed: snapshots are reached through <c>snapshot</c> (the tenant's own),
/// templates through <c>template</c>, and a launcher user's namespace images never.
/// </summary>
public sealed class ImageAllowList
{
    /// <summary>Snapshot images (<c>localhost/airlock-snapshot:sn...</c>): every tenant's, so never listable.</summary>
    public const string SnapshotRepository = Snapshots.SnapshotIds.Repository;

    /// <summary>A launcher user's namespace images (<c>localhost/airlock:NAME</c>).</summary>
    public const string NamespaceRepository = NamespaceImage.Repository;

    private readonly IReadOnlyList<Entry> _entries;

    private ImageAllowList(IReadOnlyList<Entry> entries) => _entries = entries;

    /// <summary>The entries as written in full, for messages and the API.</summary>
    public IReadOnlyList<string> Entries => _entries.Select(e => e.Text).ToList();

    public static ImageAllowList Empty { get; } = new([]);

    /// <summary>Parses entries; every bad one is reported with its index (prefixed by <paramref name="path"/>).</summary>
    public static ImageAllowList Parse(IEnumerable<string> entries, string path, ValidationErrors errors)
    {
        var parsed = new List<Entry>();
        var i = 0;
        foreach (var text in entries)
        {
            var at = $"{path}[{i++}]";
            if (EntryFrom(text, out var problem) is { } entry)
            {
                parsed.Add(entry);
            }
            else
            {
                errors.Add(at, $"'{Sandboxes.Names.Shorten(text ?? "")}' {problem}");
            }
        }

        return new ImageAllowList(parsed.DistinctBy(e => e.Text, StringComparer.Ordinal).ToList());
    }

    /// <summary>Whether <paramref name="reference"/> is on this list or <paramref name="other"/>.</summary>
    public bool Allows(ImageReference reference, ImageAllowList? other = null) =>
        _entries.Concat(other?._entries ?? []).Any(e => e.Allows(reference));

    /// <summary>Why an image in one of Airlock's own repositories cannot be listed or named; null for any other.</summary>
    public static string? ReservedProblem(ImageReference reference) => reference.Repository switch
    {
        SnapshotRepository => "is a snapshot image; create from one of your own snapshots with \"snapshot\": \"sn...\" instead",
        NamespaceRepository => "is a launcher namespace image, which the server never runs for tenants",
        var repository when repository.StartsWith(Templates.TemplateImages.Repository, StringComparison.Ordinal) =>
            "is a template image; create from it with \"template\": \"NAME\" instead",
        _ => null,
    };

    private static Entry? EntryFrom(string? text, out string? problem)
    {
        problem = null;
        if (text is null)
        {
            problem = "is not an image reference";
            return null;
        }

        // A repository alone: parsed with a placeholder tag, then remembered without it.
        var isRepository = !text.Contains('@', StringComparison.Ordinal) && !HasTag(text);
        if (ImageReference.Parse(text, out problem) is not { } reference)
        {
            return null;
        }

        if (ReservedProblem(reference) is { } reserved)
        {
            problem = reserved + "; it cannot be allowed";
            return null;
        }

        return new Entry(reference, isRepository);
    }

    private static bool HasTag(string text)
    {
        var lastSlash = text.LastIndexOf('/');
        return text.IndexOf(':', lastSlash + 1) >= 0;
    }

    private sealed record Entry(ImageReference Reference, bool IsRepository)
    {
        public string Text => IsRepository ? Reference.Repository : Reference.ToString();

        public bool Allows(ImageReference wanted) => IsRepository
            ? wanted.Digest is null && wanted.Repository == Reference.Repository
            : wanted.ToString() == Reference.ToString();
    }
}
