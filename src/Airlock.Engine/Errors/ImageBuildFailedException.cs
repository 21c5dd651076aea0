namespace Airlock.Engine.Errors;

/// <summary>An image build stopped at a step; <see cref="StepOutput"/> holds what that step printed.</summary>
public sealed class ImageBuildFailedException(string? step, string engineMessage, string stepOutput)
    : EngineException(Describe(step, engineMessage), null, engineMessage)
{
    /// <summary>The failing instruction as the engine printed it, e.g. <c>RUN apt-get install nope</c>.</summary>
    public string? Step { get; } = step;

    public string StepOutput { get; } = stepOutput;

    private static string Describe(string? step, string engineMessage) =>
        step is null ? $"image build failed: {engineMessage}" : $"image build failed at step '{step}': {engineMessage}";
}
