using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Sandboxes.Specs;

/// <summary>An <see cref="IsolationLevel"/> in JSON as users write it (<c>"gvisor"</c>), not as a number.</summary>
public sealed class IsolationLevelJsonConverter : JsonConverter<IsolationLevel>
{
    public override IsolationLevel Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IsolationLevels.TryParse(reader.GetString()) ?? throw new JsonException(IsolationLevels.ErrorFor(reader.GetString()));

    public override void Write(Utf8JsonWriter writer, IsolationLevel value, JsonSerializerOptions options) =>
        writer.WriteStringValue(IsolationLevels.Name(value));
}
