using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Server;

/// <summary>
/// The API's JSON: camelCase, unknown fields refused (a misspelt field is an error, not silently ignored), and numbers
/// only as JSON numbers (the web defaults would also take <c>"cpus": "0.5"</c>, and a field should take one form).
/// </summary>
public static class ServerJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.MaxDepth = 32;
        options.RespectNullableAnnotations = true;
        // The hot answers from generated code first; everything else through reflection, as before.
        var fallback = options.TypeInfoResolverChain.Count == 0 ? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() : null;
        options.TypeInfoResolverChain.Insert(0, ServerJsonContext.Default);
        if (fallback is not null)
        {
            options.TypeInfoResolverChain.Add(fallback);
        }

        return options;
    }
}
