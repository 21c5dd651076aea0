namespace Airlock.Server.Egress;

/// <summary>One page of a sandbox's egress records, oldest first; pass <see cref="NextPageToken"/> as <c>pageToken</c> for the next (absent on the last page).</summary>
public sealed record EgressRecordList(IReadOnlyList<EgressRecordView> Items, string? NextPageToken);
