using Airlock.Launcher.Agents;
using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Specs;

namespace Airlock.Cli.Agents;

/// <summary>
/// What <c>airlock run --dry-run</c> prints: the sandbox spec that would run, which host variables went in and why, with
/// the forwarded values replaced by <see cref="Hidden"/> (they are API keys more often than not).
/// </summary>
public sealed record AgentDryRun(
    string Agent,
    string Namespace,
    string Session,
    IReadOnlyList<string> ForwardedEnv,
    IReadOnlyList<string> OptedInEnv,
    IReadOnlyList<string> Warnings,
    SandboxSpec Spec,
    IReadOnlyList<string> Secrets)
{
    public const string Hidden = "(hidden: from the host)";

    public static AgentDryRun From(AgentDefinition agent, string ns, LaunchPlan plan, AgentEnvironment env, IReadOnlyList<string> warnings)
    {
        var environment = plan.Spec.Environment.ToDictionary(
            e => e.Key,
            // Only where the value is still the host's: an explicit -e NAME=VALUE the user typed is shown as typed.
            e => env.Variables.TryGetValue(e.Key, out var fromHost) && fromHost == e.Value ? Hidden : e.Value,
            StringComparer.Ordinal);
        return new AgentDryRun(
            agent.Name, ns, plan.SessionName, env.Allowlisted.Except(env.Secrets).ToList(), env.OptedIn, warnings, plan.LabelledSpec with { Environment = environment },
            plan.Secrets.Select(s => s.Describe()).ToList());
    }
}
