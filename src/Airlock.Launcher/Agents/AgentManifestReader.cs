using System.Formats.Tar;
using Airlock.Engine.Errors;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Agents;

/// <summary>Reads an image's <see cref="AgentManifest"/> through a created, never started, container.</summary>
public static class AgentManifestReader
{
    /// <summary>The manifest, or null when the image has none (it was not built from the cli-agents template).</summary>
    public static async Task<AgentManifest?> ReadAsync(ISandboxRuntime runtime, string image, CancellationToken ct)
    {
        return await ImageFiles.WithContainerAsync(runtime, image, async id =>
        {
            Stream tar;
            try
            {
                tar = await runtime.ReadArchiveAsync(id, AgentManifest.PathInImage, ct);
            }
            catch (EngineNotFoundException)
            {
                return (AgentManifest?)null;
            }

            await using (tar)
            {
                await using var reader = new TarReader(tar);
                while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
                {
                    if (entry.DataStream is { } data && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        using var text = new StreamReader(data);
                        return AgentManifest.Parse(await text.ReadToEndAsync(ct), $"{image}:{AgentManifest.PathInImage}");
                    }
                }
            }

            return (AgentManifest?)null;
        }, ct);
    }
}
