using System.Globalization;

namespace Airlock.Client;

/// <summary>The caller's tenant's snapshots: <c>/v1/snapshots</c> (made with <see cref="SandboxesClient.SnapshotAsync"/>).</summary>
public sealed class SnapshotsClient
{
    private readonly AirlockTransport _http;

    internal SnapshotsClient(AirlockTransport http) => _http = http;

    public Task<SnapshotPage> ListPageAsync(int? pageSize = null, string? pageToken = null, CancellationToken ct = default) =>
        _http.SendAsync(
            HttpMethod.Get,
            AirlockTransport.Query("v1/snapshots", ("limit", pageSize?.ToString(CultureInfo.InvariantCulture)), ("pageToken", pageToken)),
            null,
            AirlockJson.Default.SnapshotPage,
            ct);

    public IAsyncEnumerable<Snapshot> ListAsync(CancellationToken ct = default) =>
        PagedList.AllAsync<Snapshot>(async (token, c) => await ListPageAsync(null, token, c).ConfigureAwait(false), ct);

    public Task<Snapshot> GetAsync(string snapshotId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, $"v1/snapshots/{AirlockTransport.Segment(snapshotId)}", null, AirlockJson.Default.Snapshot, ct);

    /// <summary>Deletes a snapshot and its image (refused while a sandbox uses it).</summary>
    public Task DeleteAsync(string snapshotId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, $"v1/snapshots/{AirlockTransport.Segment(snapshotId)}", null, ct);
}
