using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Airlock.Engine.Json;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Events;

/// <summary>The engine's live event feed.</summary>
public sealed class EventsClient
{
    private readonly EngineHttp _http;

    internal EventsClient(EngineHttp http) => _http = http;

    /// <summary>
    /// Streams events as they happen until cancelled. The request is acknowledged by the engine before this returns
    /// its enumerator's first MoveNext, so events caused after <see cref="SubscribeAsync"/> completes are not missed.
    /// </summary>
    public async Task<EventSubscription> SubscribeAsync(EventFilter filter, CancellationToken ct = default)
    {
        var q = new QueryString()
            .Add("since", filter.Since is { } s ? s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : null)
            .Add("filters", Filters.Encode(("label", filter.Labels), ("type", filter.Types), ("event", filter.Actions)));
        var response = await _http.SendAsync(HttpMethod.Get, _http.Path("/events") + q, null, "subscribe to engine events", ct, streamResponse: true);
        return new EventSubscription(response);
    }
}

/// <summary>An open event stream; dispose it to stop listening.</summary>
public sealed class EventSubscription : IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage _response;

    internal EventSubscription(HttpResponseMessage response) => _response = response;

    public async IAsyncEnumerable<EngineEvent> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var stream = await _response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var ev = JsonSerializer.Deserialize(line, EngineJsonContext.Default.EngineEvent);
            if (ev is not null)
            {
                yield return ev;
            }
        }
    }

    public void Dispose() => _response.Dispose();

    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
