using Airlock.Engine.Errors;

namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>Finds test objects still in an engine, removes them, and says what they were.</summary>
public static class LeakDetector
{
    /// <summary>
    /// Containers and images carrying all <paramref name="labels"/>, and images whose tag is under the test prefix and
    /// contains <paramref name="tagMarker"/>. Returns a description of each one found (empty when clean).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveLeftoversAsync(EngineClient client, string tagMarker, IReadOnlyList<string> labels, CancellationToken ct)
    {
        var found = new List<string>();
        foreach (var container in await client.Containers.ListAsync(labels, all: true, ct))
        {
            found.Add($"container {container.Name} ({container.Image}, {container.State})");
            await client.Containers.RemoveIfExistsAsync(container.Id, ct);
        }

        var labelled = await client.Images.ListAsync(labels, ct: ct);
        var tagged = (await client.Images.ListAsync(ct: ct)).Where(i => (i.RepoTags ?? []).Any(t => IsTestTag(t, tagMarker)));
        foreach (var image in labelled.Concat(tagged).DistinctBy(i => i.Id))
        {
            found.Add($"image {string.Join(", ", image.RepoTags ?? [])} ({image.Id})");
            await RemoveImageAsync(client, image.Id, ct);
        }

        return found;
    }

    private static bool IsTestTag(string tag, string marker) =>
        tag.StartsWith(TestEngine.ImagePrefix, StringComparison.Ordinal) && tag.Contains(marker, StringComparison.Ordinal);

    private static async Task RemoveImageAsync(EngineClient client, string id, CancellationToken ct)
    {
        try
        {
            await client.Images.RemoveAsync(id, force: true, ct);
        }
        catch (EngineNotFoundException)
        {
            // Went away with a parent or child removed just before.
        }
    }
}
