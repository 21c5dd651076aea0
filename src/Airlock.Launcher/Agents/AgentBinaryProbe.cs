using Airlock.Engine.Errors;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Agents;

/// <summary>
/// Whether an image has an executable on its PATH, looked up through a created, never started, container. Used only after
/// a run ended with 127 (the sandbox's init could not exec the agent), so a normal run pays nothing for it.
/// </summary>
public static class AgentBinaryProbe
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static async Task<bool> IsOnPathAsync(ISandboxRuntime runtime, string image, string binary, CancellationToken ct)
    {
        // A missing image is reported by the container's create below.
        var details = await runtime.TryInspectImageAsync(image, ct);
        var path = details?.Environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?["PATH=".Length..] ?? DefaultPath;
        return await ImageFiles.WithContainerAsync(runtime, image, async id =>
        {
            foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(d => d.StartsWith('/')))
            {
                try
                {
                    await using var found = await runtime.ReadArchiveAsync(id, $"{dir.TrimEnd('/')}/{binary}", ct);
                    return true;
                }
                catch (EngineNotFoundException)
                {
                    // not in this directory
                }
            }

            return false;
        }, ct);
    }
}
