using Airlock.Engine;
using Airlock.Engine.Containers;
using Airlock.Sandboxes.Security;

namespace Airlock.Launcher.Namespaces;

/// <summary>
/// Reads files of an image through a created, never started, container, removed afterwards whatever happens. Nothing
/// of the image runs; the label marks the container as Airlock's should a killed process leave it behind.
/// </summary>
public static class ImageFiles
{
    public static async Task<T> WithContainerAsync<T>(EngineClient engine, string image, Func<string, Task<T>> read, CancellationToken ct)
    {
        var id = await engine.Containers.CreateAsync(
            new ContainerCreateOptions
            {
                Image = image,
                Command = ["true"],
                Labels = new Dictionary<string, string> { [SandboxLabels.Owner] = "launcher-seed" },
            },
            ct);
        try
        {
            return await read(id);
        }
        finally
        {
            await engine.Containers.RemoveIfExistsAsync(id, CancellationToken.None);
        }
    }
}
