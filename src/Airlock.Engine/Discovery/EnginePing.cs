using Airlock.Engine.Errors;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Discovery;

/// <summary>Checks an endpoint answers <c>GET /_ping</c>.</summary>
public static class EnginePing
{
    /// <summary>Returns null when the engine answered, else a short reason.</summary>
    public static async Task<string?> PingAsync(EngineEndpoint endpoint, TimeSpan timeout, CancellationToken ct = default)
    {
        using var http = new EngineHttp(endpoint);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(HttpMethod.Get, "/_ping", null, "ping", cts.Token);
            return null;
        }
        catch (EngineUnreachableException ex)
        {
            return ex.InnerException?.Message ?? ex.Message;
        }
        catch (EngineException ex)
        {
            return ex.Message;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalSeconds:0} s";
        }
    }
}
