using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Errors;
using Airlock.Server.Tenants;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Turns a <see cref="SandboxNetworkRequest"/> into an egress policy (every problem with its path, e.g.
/// <c>sandbox.network.allow[2]</c>), checks it against the tenant's ceiling, and maps it to the spec's network.
/// <c>open</c> is the engine's bridge behind the network guard; <c>allowlist</c> has no interface and reaches out only
/// through the egress proxy the server hosts; <c>none</c> has loopback alone.
/// </summary>
public static class SandboxNetworkRules
{
    /// <summary>The policy <paramref name="request"/> asks for (none when absent); problems go to <paramref name="errors"/> under <paramref name="path"/>.</summary>
    public static EgressPolicy Check(SandboxNetworkRequest? request, ValidationErrors errors, string path)
    {
        if (request is null)
        {
            return EgressPolicy.Deny;
        }

        var allow = request.Allow ?? [];
        if (request.WasString)
        {
            if (request.Mode is not (SandboxNetworkRequest.None or SandboxNetworkRequest.Bridge or SandboxNetworkRequest.Open or SandboxNetworkRequest.Allowlist))
            {
                errors.Add(path, $"'{Names.Shorten(request.Mode ?? "")}' is not none or bridge; for chosen destinations give {{\"mode\": \"allowlist\", \"allow\": [\"github.com\"]}}");
                return EgressPolicy.Deny;
            }
        }
        else if (request.Mode is null)
        {
            errors.Add($"{path}.mode", "is missing; give none, allowlist or open");
            return EgressPolicy.Deny;
        }

        var mode = request.Mode == SandboxNetworkRequest.Bridge ? SandboxNetworkRequest.Open : request.Mode!;
        if (allow.Count > 0 && mode != SandboxNetworkRequest.Allowlist)
        {
            errors.Add($"{path}.allow", $"only an allowlist has destinations; give \"mode\": \"allowlist\", or leave allow out for {Names.Shorten(mode)}");
        }

        if (allow.Count > ServerLimits.MaxEgressRules)
        {
            errors.Add($"{path}.allow", $"has {allow.Count} destinations; at most {ServerLimits.MaxEgressRules} (allow a suffix such as *.example.com, or a range)");
            allow = [];
        }

        return EgressPolicyParser.Parse(mode, allow, errors, path);
    }

    /// <summary>403 naming every destination of <paramref name="policy"/> beyond <paramref name="ceiling"/>, and who can widen it.</summary>
    public static void EnforceCeiling(EgressPolicy policy, TenantEgress ceiling, string path)
    {
        var beyond = ceiling.Beyond(policy);
        if (beyond.Count == 0)
        {
            return;
        }

        var named = string.Join("; ", beyond.Select(b => b.Index < 0
            ? $"{path}.mode: 'open' is not allowed for this tenant"
            : $"{path}.allow[{b.Index}]: '{b.Destination}' is beyond this tenant's egress ceiling"));
        throw ApiException.Forbidden(
            $"{named} (the ceiling is {ceiling.Describe()}); the system admin sets it: PUT /v1/tenants/{{tenant}}/egress");
    }

    /// <summary>The spec's network for <paramref name="policy"/>.</summary>
    public static NetworkPolicy ToSpec(EgressPolicy policy) => policy.Mode switch
    {
        EgressMode.Open => NetworkPolicy.Default,
        EgressMode.Allowlist => new NetworkPolicy(NetworkPolicy.Allowlist, []) { Allow = [.. policy.Allow.Select(r => r.ToString())] },
        _ => NetworkPolicy.Offline,
    };

    /// <summary><paramref name="policy"/> as it is stored and shown: the object form, rules normalised.</summary>
    public static SandboxNetworkRequest ToRequest(EgressPolicy policy) =>
        new(ModeName(policy.Mode), [.. policy.Allow.Select(r => r.ToString())]);

    public static string ModeName(EgressMode mode) => mode switch
    {
        EgressMode.Open => SandboxNetworkRequest.Open,
        EgressMode.Allowlist => SandboxNetworkRequest.Allowlist,
        _ => SandboxNetworkRequest.None,
    };
}
