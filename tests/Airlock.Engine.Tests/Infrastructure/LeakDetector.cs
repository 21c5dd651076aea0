using Airlock.Engine.Errors;
using Airlock.Engine.Images;

namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>Finds test objects still in an engine, removes them, and says what they were.</summary>
public static class LeakDetector
{
    /// <summary>
    /// Containers and images carrying all <paramref name="labels"/>, and image tags under the test prefix that contain
    /// <paramref name="tagMarker"/>. Returns a description of each one found (empty when clean).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveLeftoversAsync(EngineClient client, string tagMarker, IReadOnlyList<string> labels, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var container in await client.Containers.ListAsync(labels, all: true, ct))
        {
            found.Add($"container {container.Name} ({container.Image}, {container.State})");
            await client.Containers.RemoveIfExistsAsync(container.Id, ct);
        }

        // Labelled images were built by the tests: remove them whole.
        var labelled = await client.Images.ListAsync(labels, ct: ct);
        foreach (var image in labelled)
        {
            found.Add($"image {Describe(image)}");
            await RemoveAsync(client, image.Id, force: true, ct);
        }

        // A test tag may name a shared image (a tag of the base image): remove the tag only, never the image by id.
        foreach (var image in (await client.Images.ListAsync(ct: ct)).Where(i => labelled.All(l => l.Id != i.Id)))
        {
            foreach (var tag in (image.RepoTags ?? []).Where(t => IsTestTag(t, tagMarker)))
            {
                found.Add($"image tag {tag} ({image.Id})");
                await RemoveAsync(client, tag, force: false, ct);
            }
        }

        return found;
    }

    private static string Describe(ImageSummary image) => $"{string.Join(", ", image.RepoTags ?? [])} ({image.Id})";

    private static bool IsTestTag(string tag, string marker) =>
        tag.StartsWith(TestEngine.ImagePrefix, StringComparison.Ordinal) && tag.Contains(marker, StringComparison.Ordinal);

    private static async Task RemoveAsync(EngineClient client, string image, bool force, CancellationToken ct)
    {
        try
        {
            await client.Images.RemoveAsync(image, force, ct);
        }
        catch (EngineNotFoundException)
        {
            // Went away with a parent or child removed just before.
        }
    }
}
