using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Errors;
using Airlock.Server.Nodes;
using Airlock.Server.Sandboxes;
using Airlock.Server.Store;

namespace Airlock.Server.Images;

/// <summary>
/// Decides which image a tenant's sandbox may run, in two steps. Before anything is written: the name must be a full
/// reference on the allowlist (the server's, then the tenant's own) and not one of Airlock's repositories. On the node,
/// before the container is made: the image the engine finds must carry that very name (an engine resolves more than
/// names: id prefixes, and on podman any name with a known digest) and no other tenant's, snapshot's or namespace's
/// label; its id is then what the container is created from, so a re-tag between the check and the create changes nothing.
/// </summary>
public sealed class ImagePolicy(ImageAllowList serverList, TenantStore tenants)
{
    /// <summary>The server-wide allowlist (<c>--allow-image</c>).</summary>
    public ImageAllowList ServerList => serverList;

    /// <summary>Why <paramref name="image"/> may not be named by <paramref name="tenantId"/>, or null when it may.</summary>
    public async Task<string?> ProblemAsync(string tenantId, string image, CancellationToken ct)
    {
        if (ImageReference.Parse(image, out var problem) is not { } reference)
        {
            return $"'{Names.Shorten(image)}' {problem}";
        }

        if (ImageAllowList.ReservedProblem(reference) is { } reserved)
        {
            return $"'{Names.Shorten(image)}' {reserved}";
        }

        var own = await TenantListAsync(tenantId, ct);
        if (serverList.Allows(reference, own))
        {
            return null;
        }

        var allowed = serverList.Entries.Concat(own.Entries).ToList();
        var shown = allowed.Count <= 10 ? string.Join(", ", allowed) : string.Join(", ", allowed.Take(10)) + $" and {allowed.Count - 10} more (GET /v1/tenants/{tenantId}/images)";
        return $"'{Names.Shorten(image)}' is not an image this server allows; allowed: {(allowed.Count == 0 ? "none (use a template)" : shown)}. "
            + "The system admin allows more with --allow-image, or for this tenant with PUT /v1/tenants/{tenant}/images";
    }

    /// <summary>The tenant's own allowlist, as the system admin set it.</summary>
    public async Task<ImageAllowList> TenantListAsync(string tenantId, CancellationToken ct) =>
        ImageAllowList.Parse(await tenants.GetImagesAsync(tenantId, ct), "images", new ValidationErrors());

    /// <summary>
    /// Inspects the image on the node and checks that it is what <paramref name="source"/> names and belongs to no one
    /// else; returns it (its <see cref="SandboxImage.Id"/> is what to create from). Refusals are 400s on the source's field.
    /// </summary>
    public static async Task<SandboxImage> VerifyAsync(ISandboxRuntime runtime, string node, string tenantId, ImageSource source, string root, CancellationToken ct)
    {
        var field = $"{root}.{source.Field}";
        var shown = source.Name ?? source.Reference;
        var image = await runtime.TryInspectImageAsync(source.Reference, ct)
            ?? throw Refuse(field, $"'{Names.Shorten(shown)}' is not on node '{node}' (the engine does not have {source.Reference}); the system admin pulls or builds allowed images on every node");

        var owner = image.Owner;
        if (owner.Tenant is { } tenant && tenant != tenantId)
        {
            throw Refuse(field, $"'{Names.Shorten(shown)}' is an image of another tenant");
        }

        if (owner.Namespace is not null || owner.Role?.StartsWith("launcher", StringComparison.Ordinal) == true)
        {
            throw Refuse(field, $"'{Names.Shorten(shown)}' is a launcher namespace image, which the server never runs for tenants");
        }

        var snapshot = owner.Snapshot;
        switch (source.Field)
        {
            case ImageSource.ImageField:
                if (snapshot is not null)
                {
                    throw Refuse(field, $"'{Names.Shorten(shown)}' is a snapshot image; create from one of your own snapshots with \"snapshot\": \"sn...\" instead");
                }

                if (!CarriesName(image, source.Reference))
                {
                    throw Refuse(field, $"'{Names.Shorten(shown)}' does not name an image on node '{node}' by its own tag or digest (the engine resolved it to {image.Id}); give the image's repository and tag");
                }

                break;
            case ImageSource.SnapshotField when snapshot != source.Name || owner.Tenant != tenantId:
                throw Refuse(field, $"snapshot '{Names.Shorten(shown)}' does not match its image on node '{node}'; delete the snapshot and take it again");
            case ImageSource.TemplateField when owner.Template is not { } template || template != source.Name:
                throw Refuse(field, $"template '{Names.Shorten(shown)}' does not match its image on node '{node}'; create again to rebuild it");
        }

        return image;
    }

    /// <summary>Whether the command the sandbox would run is missing: none given and none in the image.</summary>
    public static bool LacksCommand(SandboxImage image, IReadOnlyList<string>? command) => command is null && image.Command.Count == 0;

    private static bool CarriesName(SandboxImage image, string reference)
    {
        if (ImageReference.Parse(reference, out _) is not { } wanted)
        {
            return false;
        }

        var names = wanted.Digest is null ? image.Tags : image.Digests;
        return names.Select(ImageReference.FromEngine).Any(n => n is not null && n.ToString() == wanted.ToString());
    }

    private static ApiException Refuse(string path, string message) => ApiException.Invalid("the sandbox", [new ValidationError(path, message)]);
}
