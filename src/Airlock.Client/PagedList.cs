using System.Runtime.CompilerServices;

namespace Airlock.Client;

/// <summary>One page of a listing: its items, and the token for the next page (null on the last).</summary>
public interface IPage<out T>
{
    IReadOnlyList<T> Items { get; }

    string? NextPageToken { get; }
}

/// <summary>Every item of a paged listing, a page fetched only when the one before is used up.</summary>
internal static class PagedList
{
    public static async IAsyncEnumerable<T> AllAsync<T>(Func<string?, CancellationToken, Task<IPage<T>>> page, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var current = await page(token, ct).ConfigureAwait(false);
            foreach (var item in current.Items)
            {
                yield return item;
            }

            token = current.NextPageToken;
        }
        while (token is not null);
    }
}
