using System.Text.RegularExpressions;

namespace Airlock.Server.Images;

/// <summary>
/// A fully written image reference: <c>domain/path</c> with a tag or a digest, normalised the way Docker names images
/// (<c>docker.io/python</c> is <c>docker.io/library/python</c>; no tag means <c>latest</c>). Tenants must write the
/// domain: an engine resolves a short name by its own rules (podman through its search registries, both by image-id
/// prefix), and a name whose meaning depends on the engine cannot be checked against an allowlist.
/// </summary>
public sealed partial record ImageReference(string Domain, string Path, string? Tag, string? Digest)
{
    public const string Form = "domain/name:tag or domain/name@sha256:digest, e.g. docker.io/library/python:3.12";

    /// <summary><c>domain/path</c>, the repository every tag and digest of the image is in.</summary>
    public string Repository => $"{Domain}/{Path}";

    /// <summary>Written in full: <c>repository:tag</c> or <c>repository@digest</c>.</summary>
    public override string ToString() => Digest is not null ? $"{Repository}@{Digest}" : $"{Repository}:{Tag ?? "latest"}";

    /// <summary>Parses what a tenant or the admin wrote; null and the reason when it is not a full reference.</summary>
    public static ImageReference? Parse(string text, out string? problem)
    {
        problem = null;
        if (text.Length is 0 or > 512)
        {
            problem = "is not an image reference (1 to 512 characters)";
            return null;
        }

        if (ImageId().IsMatch(text))
        {
            problem = "looks like an image id or id prefix; images are named by repository and tag, never by id: " + Form;
            return null;
        }

        var match = Grammar().Match(text);
        if (!match.Success)
        {
            problem = "is not an image reference: " + Form + " (lower-case repository)";
            return null;
        }

        var name = match.Groups["name"].Value;
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        if (tag is not null && digest is not null)
        {
            problem = "has both a tag and a digest; give one of them";
            return null;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? name : name[..slash];
        if (slash < 0 || !IsDomain(first))
        {
            problem = "is not written in full; give the registry too (" + Form + "), so every engine means the same image";
            return null;
        }

        return Normalised(first, name[(slash + 1)..], tag, digest);
    }

    /// <summary>
    /// A name as an engine reports it in <c>RepoTags</c>/<c>RepoDigests</c>, in full: Docker shows images of Docker Hub
    /// in their short form (<c>python:3.12</c>), podman in full.
    /// </summary>
    public static ImageReference? FromEngine(string reported)
    {
        var match = Grammar().Match(reported);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && IsDomain(name[..slash])
            ? Normalised(name[..slash], name[(slash + 1)..], tag, digest)
            : Normalised("docker.io", name, tag, digest);
    }

    private static ImageReference Normalised(string domain, string path, string? tag, string? digest)
    {
        if (domain == "index.docker.io")
        {
            domain = "docker.io";
        }

        if (domain == "docker.io" && !path.Contains('/', StringComparison.Ordinal))
        {
            path = "library/" + path;
        }

        return new ImageReference(domain, path, digest is null ? tag ?? "latest" : null, digest);
    }

    private static bool IsDomain(string component) =>
        component == "localhost" || component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal);

    // The distribution reference grammar (lower-case name, optional port on the domain), one tag or one sha256 digest.
    [GeneratedRegex(@"^(?<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]{1,5})?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex Grammar();

    [GeneratedRegex("^(sha256:)?[a-fA-F0-9]{1,64}$")]
    private static partial Regex ImageId();
}
