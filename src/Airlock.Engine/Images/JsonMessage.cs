using System.Text.Json.Serialization;

namespace Airlock.Engine.Images;

/// <summary>One line of the JSON progress stream of build, pull and import.</summary>
internal sealed class JsonMessage
{
    [JsonPropertyName("stream")]
    public string? Stream { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("progress")]
    public string? Progress { get; init; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("errorDetail")]
    public JsonMessageError? ErrorDetail { get; init; }

    [JsonPropertyName("aux")]
    public JsonMessageAux? Aux { get; init; }
}

internal sealed class JsonMessageError
{
    [JsonPropertyName("message")]
    public string? Message { get; init; }
}

internal sealed class JsonMessageAux
{
    [JsonPropertyName("ID")]
    public string? ID { get; init; }
}

internal sealed class ImageDeleteItem
{
    public string? Untagged { get; init; }
    public string? Deleted { get; init; }
}
