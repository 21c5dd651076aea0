using Airlock.Engine;
using Airlock.Engine.Images;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Sandboxes.Network;

/// <summary>
/// The network guard's image: the base image plus nftables, built once per engine (a few seconds from the apt mirror) and
/// tagged with a hash of what it is built from, so a changed recipe or base image gets a new one and an unchanged one is
/// reused. Nothing of a namespace or a tenant is in it.
/// </summary>
public static class GuardImage
{
    public const string Repository = "localhost/airlock-guard";

    private const string Dockerfile =
        """
        # Airlock's network guard: holds a sandbox's network namespace and its nftables rules. Built by airlock itself.
        ARG BASE_IMAGE
        FROM ${BASE_IMAGE}
        ENV DEBIAN_FRONTEND=noninteractive
        RUN apt-get update && apt-get install -y --no-install-recommends nftables mawk && rm -rf /var/lib/apt/lists/*
        CMD ["sleep", "infinity"]
        """;

    public static string TagFor(string baseImage) =>
        $"{Repository}:{ContentHash.Short(Dockerfile + "\0" + baseImage)}";

    /// <summary>The guard image's name, built first when the engine does not have it (<paramref name="building"/> is told).</summary>
    public static async Task<string> EnsureAsync(ISandboxRuntime runtime, string baseImage, Action? building, CancellationToken ct)
    {
        var tag = TagFor(baseImage);
        if (await runtime.TryInspectImageAsync(tag, ct) is not null)
        {
            return tag;
        }

        building?.Invoke();
        var context = Directory.CreateTempSubdirectory("airlock-guard-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(context.FullName, "Dockerfile"), Dockerfile, ct);
            await runtime.BuildImageAsync(
                new BuildOptions
                {
                    ContextDirectory = context.FullName,
                    Tag = tag,
                    BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = baseImage },
                },
                // Says what the image is, for clean-up and for `airlock doctor`.
                new SandboxOwner { Role = SandboxOwner.Roles.GuardImage },
                progress: null,
                ct);
        }
        finally
        {
            context.Delete(recursive: true);
        }

        return tag;
    }
}
