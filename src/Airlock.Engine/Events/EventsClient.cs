using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Airlock.Engine.Identity;
using Airlock.Engine.Json;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Events;

/// <summary>The engine's live event feed.</summary>
public sealed class EventsClient
{
    private readonly EngineHttp _http;
    private readonly Func<EngineKind> _kind;

    internal EventsClient(EngineHttp http, Func<EngineKind> kind)
    {
        _http = http;
        _kind = kind;
    }

    /// <summary>
    /// Streams events as they happen until cancelled. The request is acknowledged by the engine before this returns
    /// its enumerator's first MoveNext, so events caused after <see cref="SubscribeAsync"/> completes are not missed.
    /// </summary>
    public async Task<EventSubscription> SubscribeAsync(EventFilter filter, CancellationToken ct = default)
    {
        var q = new QueryString()
            .Add("since", filter.Since is { } s ? s.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : null)
            .Add("filters", Filters.Encode(("label", filter.Labels), ("type", filter.Types), ("event", filter.Actions?.Select(ActionFilterName))));
        var response = await _http.SendAsync(HttpMethod.Get, _http.Path("/events") + q, null, "subscribe to engine events", ct, streamResponse: true);
        return new EventSubscription(response);
    }

    /// <summary>podman reports a container's exit as <c>die</c> but only filters on its own name for it, <c>died</c>.</summary>
    private string ActionFilterName(string action) => _kind() == EngineKind.Podman && action == "die" ? "died" : action;
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
