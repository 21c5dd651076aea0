using Airlock.Engine;
using Airlock.Sandboxes.Runtime;
using Airlock.Server.Errors;

namespace Airlock.Server.Nodes;

/// <summary>
/// The server's engine nodes. Each connects on first use and again after a failure, so the server starts even while
/// an engine is down; a node's capacity is read from its engine once and kept (unless the options set it).
/// </summary>
public sealed class EngineNodes : IEngineNodes, IDisposable
{
    private readonly Dictionary<string, Node> _nodes;

    public EngineNodes(IReadOnlyList<NodeOptions> nodes, TimeProvider time)
    {
        _nodes = nodes.ToDictionary(n => n.Name, n => new Node(n, time), StringComparer.Ordinal);
        Names = nodes.Select(n => n.Name).ToList();
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<NodeOptions> Options => _nodes.Values.Select(n => n.Options).ToList();

    public Task<ISandboxRuntime> GetAsync(string node, CancellationToken ct) => Find(node).GetAsync(ct);

    public Task<NodeCapacity> CapacityAsync(string node, CancellationToken ct) => Find(node).CapacityAsync(ct);

    public bool IsLocal(string node) => _nodes.TryGetValue(node, out var found) && found.Options.Endpoint.IsUnix;

    public string EndpointOf(string node) => _nodes.TryGetValue(node, out var found) ? found.Options.Endpoint.ToString() : "(not served)";

    private Node Find(string node) => _nodes.TryGetValue(node, out var found)
        ? found
        : throw new ApiException(503, "node not served", $"node '{node}' is not served by this server (it serves {string.Join(", ", Names)}); start the server with --node {node}=ENDPOINT to reach what is on it")
        {
            RetryAfterSeconds = 30,
        };

    public void Dispose()
    {
        foreach (var node in _nodes.Values)
        {
            node.Dispose();
        }
    }

    private sealed class Node(NodeOptions options, TimeProvider time) : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private ISandboxRuntime? _runtime;
        private NodeCapacity? _capacity;

        public NodeOptions Options { get; } = options;

        public async Task<ISandboxRuntime> GetAsync(CancellationToken ct)
        {
            if (Volatile.Read(ref _runtime) is { } ready)
            {
                return ready;
            }

            await _gate.WaitAsync(ct);
            try
            {
                return _runtime ??= await EngineSandboxRuntime.ConnectAsync(Options.Endpoint, time, ct);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task<NodeCapacity> CapacityAsync(CancellationToken ct)
        {
            if (Volatile.Read(ref _capacity) is { } known)
            {
                return known;
            }

            if (Options.Unbounded)
            {
                return _capacity = NodeCapacity.Unbounded;
            }

            if (Options is { CpuMillis: { } cpu, MemoryBytes: { } memory })
            {
                return _capacity = new NodeCapacity(cpu, memory);
            }

            var resources = await (await GetAsync(ct)).ResourcesAsync(ct);
            return _capacity = new NodeCapacity(Options.CpuMillis ?? resources.Cpus * 1000L, Options.MemoryBytes ?? resources.MemoryBytes);
        }

        public void Dispose()
        {
            _runtime?.Dispose();
            _gate.Dispose();
        }
    }
}
