using System.Text.Json;

namespace Airlock.Engine.Json;

/// <summary>The engine's <c>filters</c> query parameter: a JSON map of filter name to accepted values.</summary>
internal static class Filters
{
    public static string? Encode(params (string Name, IEnumerable<string>? Values)[] filters)
    {
        var map = new Dictionary<string, List<string>>();
        foreach (var (name, values) in filters)
        {
            var list = values?.ToList();
            if (list is { Count: > 0 })
            {
                map[name] = list;
            }
        }

        return map.Count == 0 ? null : JsonSerializer.Serialize(map, EngineJsonContext.Default.DictionaryStringListString);
    }
}
