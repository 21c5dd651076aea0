using System.Globalization;
using Airlock.Engine.Transport;
using Airlock.Sandboxes.Specs;

namespace Airlock.Server.Nodes;

/// <summary>
/// Reads <c>--node NAME=ENDPOINT[,cpus=N][,memory=SIZE]</c>: a node name (lower-case letters, digits, '-'), its engine's
/// unix:// or tcp:// endpoint, and optionally its capacity (CPUs, memory as a <see cref="ByteSize"/>).
/// </summary>
public static class NodeFlag
{
    public const string Form = "NAME=ENDPOINT[,cpus=N][,memory=SIZE], e.g. --node podman=unix:///run/podman/podman.sock,cpus=4,memory=8G";

    /// <summary>The nodes, or the problems (each naming the flag value and the fix).</summary>
    public static (IReadOnlyList<NodeOptions> Nodes, IReadOnlyList<string> Errors) Parse(IEnumerable<string> values)
    {
        var nodes = new List<NodeOptions>();
        var errors = new List<string>();
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? value[..eq] : "";
            if (!Sandboxes.Names.IsValid(name))
            {
                errors.Add($"--node '{value}': '{name}' is not a node name ({Sandboxes.Names.Rule}); the form is {Form}");
                continue;
            }

            var parts = value[(eq + 1)..].Split(',');
            if (!EngineEndpoint.TryParse(parts[0], out var endpoint, out var error))
            {
                errors.Add($"--node {name}: '{parts[0]}' is not an engine endpoint ({error}); the form is {Form}");
                continue;
            }

            long? cpu = null, memory = null;
            foreach (var part in parts.Skip(1))
            {
                if (part.StartsWith("cpus=", StringComparison.Ordinal)
                    && double.TryParse(part[5..], NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) && cpus is > 0 and <= 4096)
                {
                    cpu = (long)Math.Round(cpus * 1000);
                }
                else if (part.StartsWith("memory=", StringComparison.Ordinal) && ByteSize.TryParse(part[7..], out var bytes) && bytes > 0)
                {
                    memory = bytes;
                }
                else
                {
                    errors.Add($"--node {name}: '{part}' is not cpus=N (0 < N <= 4096) or memory=SIZE (SIZE: {ByteSize.Grammar})");
                }
            }

            if (nodes.Any(n => n.Name == name))
            {
                errors.Add($"--node {name} is given twice; give each node one name");
            }

            nodes.Add(new NodeOptions(name, endpoint, cpu, memory));
        }

        return (nodes, errors);
    }
}
