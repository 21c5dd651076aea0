using System.Text;
using Airlock.Engine;
using Airlock.Engine.Containers;

namespace Airlock.Sandboxes.Tests.Infrastructure;

/// <summary>Runs a created container to its end on a real engine: its exit code and output, and the container removed.</summary>
internal static class ContainerRun
{
    public static async Task<(int Exit, string Output)> ToEndAsync(EngineClient client, string id, CancellationToken ct)
    {
        try
        {
            await client.Containers.StartAsync(id, ct);
            var exit = await client.Containers.WaitAsync(id, ct);
            var output = new StringBuilder();
            await foreach (var chunk in client.Containers.LogsAsync(id, new LogsOptions(), ct))
            {
                output.Append(Encoding.UTF8.GetString(chunk.Data.Span));
            }

            return (exit, output.ToString());
        }
        finally
        {
            await client.Containers.RemoveIfExistsAsync(id, CancellationToken.None);
        }
    }
}
