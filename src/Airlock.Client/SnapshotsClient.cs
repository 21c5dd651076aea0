using System.Globalization;
using System.Runtime.CompilerServices;

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

    public async IAsyncEnumerable<Snapshot> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        string? token = null;
        do
        {
            var page = await ListPageAsync(null, token, ct).ConfigureAwait(false);
            foreach (var snapshot in page.Items)
            {
                yield return snapshot;
            }

            token = page.NextPageToken;
        }
        while (token is not null);
    }

    public Task<Snapshot> GetAsync(string snapshotId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Get, $"v1/snapshots/{SandboxesClient.Escape(snapshotId)}", null, AirlockJson.Default.Snapshot, ct);

    /// <summary>Deletes a snapshot and its image (refused while a sandbox uses it).</summary>
    public Task DeleteAsync(string snapshotId, CancellationToken ct = default) =>
        _http.SendAsync(HttpMethod.Delete, $"v1/snapshots/{SandboxesClient.Escape(snapshotId)}", null, ct);
}
