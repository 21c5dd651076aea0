using System.Security.Cryptography;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Namespaces;

/// <summary>
/// Reads files of an image through a created, never started, container, removed afterwards whatever happens. Nothing
/// of the image runs; its owner marks the container as Airlock's should a killed process leave it behind.
/// </summary>
public static class ImageFiles
{
    public static async Task<T> WithContainerAsync<T>(ISandboxRuntime runtime, string image, Func<string, Task<T>> read, CancellationToken ct)
    {
        // Not cancelled half-way: a container whose id never came back could not be removed below.
        var id = await runtime.CreateAsync(
            new SandboxCreate
            {
                Spec = new SandboxSpec { Image = image, Command = ["true"], Network = NetworkPolicy.Offline },
                Name = $"airlock-seed-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}",
                Owner = new SandboxOwner { Role = SandboxOwner.Roles.LauncherSeed },
            },
            CancellationToken.None);
        try
        {
            ct.ThrowIfCancellationRequested();
            return await read(id);
        }
        finally
        {
            await runtime.RemoveAsync(id, RemoveMode.Wait, CancellationToken.None);
        }
    }
}
