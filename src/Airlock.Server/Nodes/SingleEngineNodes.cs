using Airlock.Engine;
using Airlock.Engine.Transport;

namespace Airlock.Server.Nodes;

/// <summary>One engine endpoint as the node <see cref="NodeName"/>. Connects on first use and again after a failure, so the server starts even while the engine is down.</summary>
public sealed class SingleEngineNodes(string nodeName, EngineEndpoint endpoint, TimeProvider time) : IEngineNodes, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private EngineClient? _client;

    public string NodeName { get; } = nodeName;

    public EngineEndpoint Endpoint { get; } = endpoint;

    public IReadOnlyList<string> Names => [NodeName];

    public async Task<EngineClient> GetAsync(string node, CancellationToken ct)
    {
        if (node != NodeName)
        {
            throw new InvalidOperationException($"node '{node}' is not known to this server (it serves '{NodeName}')");
        }

        if (Volatile.Read(ref _client) is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(ct);
        try
        {
            return _client ??= await EngineClient.ConnectAsync(Endpoint, time: time, ct: ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        _gate.Dispose();
    }
}
