namespace Airlock.Engine.Containers;

internal sealed class WaitResponse
{
    public long StatusCode { get; init; }
    public WaitError? Error { get; init; }
}

internal sealed class WaitError
{
    public string? Message { get; init; }
}

internal sealed class IdResponse
{
    public string Id { get; init; } = "";
    public IReadOnlyList<string>? Warnings { get; init; }
}
