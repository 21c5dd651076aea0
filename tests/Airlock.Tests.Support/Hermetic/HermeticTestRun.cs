using Xunit.Sdk;
using Xunit.v3;

namespace Airlock.Tests.Support;

/// <summary>
/// Makes a test process hermetic before discovery or any test runs (<c>[assembly: TestPipelineStartup(typeof(HermeticTestRun))]</c>
/// in every test project; see <see cref="HermeticEnvironment"/>), and when the process ends checks once more that no
/// user's Airlock state changed (for runs filtered so that the project's <see cref="UserStateGuard"/> test was not among them).
/// </summary>
public sealed class HermeticTestRun : ITestPipelineStartup
{
    public const string AirlockHomeVariable = HermeticEnvironment.AirlockHomeVariable;

    private static readonly Lazy<HermeticEnvironment> Applied = new(HermeticEnvironment.Apply);

    /// <summary>This process's hermetic environment (set up on first use if the pipeline startup has not run).</summary>
    public static HermeticEnvironment Environment => Applied.Value;

    /// <inheritdoc cref="HermeticEnvironment.UnsetAirlockHome"/>
    public static string UnsetAirlockHome => Environment.UnsetAirlockHome;

    public ValueTask StartAsync(IMessageSink diagnosticMessageSink)
    {
        _ = Applied.Value;
        return ValueTask.CompletedTask;
    }

    public ValueTask StopAsync()
    {
        if (!Applied.IsValueCreated)
        {
            return ValueTask.CompletedTask;
        }

        var changes = Applied.Value.UserStateChanges();
        Applied.Value.Dispose();
        return changes.Count == 0 ? ValueTask.CompletedTask : throw new InvalidOperationException(HermeticEnvironment.Describe(changes));
    }
}
