namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// What an agent needs, besides the files a writer wrote, to use the endpoint: variables for its environment and
/// arguments placed before the user's own.
/// </summary>
public sealed record AgentSetup(IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Arguments, IReadOnlyList<string> Files)
{
    public static AgentSetup EnvOnly(IReadOnlyDictionary<string, string> environment, params string[] arguments) => new(environment, arguments, []);
}
