using System.Text;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Secrets;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Errors;
using Airlock.Server.Sandboxes;
using Airlock.Server.Tenants;

namespace Airlock.Server.Secrets;

/// <summary>
/// What a tenant secret may be, checked once for the API: every bad field reported with its path (<c>secret.hosts[1]</c>),
/// and no message ever quoting the value.
/// </summary>
public static class SecretRules
{
    /// <summary>Variables Airlock sets itself in an allowlist sandbox (proxy and trust): a placeholder there would be replaced.</summary>
    public static readonly IReadOnlySet<string> ReservedVariables =
        EgressWiring.ProxyVariables.Keys.Concat(SandboxTrust.Variables(EgressWiring.SocketDirectory).Keys).ToHashSet(StringComparer.Ordinal);

    /// <summary>Why <paramref name="name"/> cannot name a secret (or a variable), or null when it can.</summary>
    public static string? NameProblem(string name) =>
        name.Length > ServerLimits.MaxSecretNameChars || !VariableNames.IsValid(name)
            ? $"'{Names.Shorten(name)}' is not a name a secret can have: {VariableNames.Rule}, at most {ServerLimits.MaxSecretNameChars} characters (as OPENAI_API_KEY)"
            : null;

    /// <summary>The checked secret <paramref name="request"/> asks for; throws 400 listing every bad field, or 403 for a host beyond the ceiling.</summary>
    public static (string Name, string Variable, IReadOnlyList<EgressRule> Hosts, SecretInjection Injection, string Value) Check(
        SetSecretRequest request, TenantEgress ceiling)
    {
        var errors = new ValidationErrors();
        if (request.Name is null)
        {
            errors.Add("secret.name", "is missing; give the secret a name, e.g. \"OPENAI_API_KEY\"");
        }
        else if (NameProblem(request.Name) is { } problem)
        {
            errors.Add("secret.name", problem);
        }

        CheckValue(request.Value, errors);

        var variable = request.Variable ?? request.Name;
        if (request.Variable is not null && NameProblem(request.Variable) is { } variableProblem)
        {
            errors.Add("secret.variable", variableProblem);
        }
        else if (variable is not null && ReservedVariables.Contains(variable))
        {
            errors.Add(request.Variable is null ? "secret.name" : "secret.variable",
                $"'{variable}' is set by Airlock in an allowlist sandbox (proxy and certificate variables); give the secret another {(request.Variable is null ? "name, or a \"variable\"" : "variable")}");
        }

        var hosts = new List<EgressRule>();
        if (request.Hosts is null || request.Hosts.Count == 0)
        {
            errors.Add("secret.hosts", "is missing; give the hosts the value may be sent to, e.g. [\"api.openai.com\"] (as in a sandbox's network.allow)");
        }
        else if (request.Hosts.Count > ServerLimits.MaxSecretHosts)
        {
            errors.Add("secret.hosts", $"has {request.Hosts.Count} hosts; at most {ServerLimits.MaxSecretHosts} (use a suffix such as *.example.com)");
        }
        else
        {
            for (var i = 0; i < request.Hosts.Count; i++)
            {
                if (request.Hosts[i] is not { } text)
                {
                    errors.Add($"secret.hosts[{i}]", "is null; give a host such as api.openai.com");
                }
                else if (EgressRule.TryParse(text, out var rule, out var why))
                {
                    hosts.Add(rule);
                }
                else
                {
                    errors.Add($"secret.hosts[{i}]", $"'{Names.Shorten(text)}': {why}");
                }
            }
        }

        var injection = SecretInjection.Bearer;
        if (request.Inject is { } inject)
        {
            if (SecretInjection.TryParse(inject, out var parsed, out var injectProblem))
            {
                injection = parsed;
            }
            else
            {
                errors.Add("secret.inject", injectProblem.Replace(inject, Names.Shorten(inject), StringComparison.Ordinal));
            }
        }

        errors.ThrowIfAny("the secret");
        var beyond = ceiling.Beyond(new EgressPolicy(EgressMode.Allowlist, hosts));
        if (beyond.Count > 0)
        {
            throw ApiException.Forbidden(
                string.Join("; ", beyond.Select(b => $"secret.hosts[{b.Index}]: '{b.Destination}' is beyond this tenant's egress ceiling"))
                + $" (the ceiling is {ceiling.Describe()}): no sandbox of the tenant could reach it; the system admin sets it: PUT /v1/tenants/{{tenant}}/egress");
        }

        return (request.Name!, variable!, hosts, injection, request.Value!);
    }

    private static void CheckValue(string? value, ValidationErrors errors)
    {
        if (value is null)
        {
            errors.Add("secret.value", "is missing; give the value (the CLI reads it from a variable, a file or stdin: never a flag)");
            return;
        }

        if (value.Length == 0)
        {
            errors.Add("secret.value", "is empty");
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > ServerLimits.MaxSecretValueBytes)
        {
            errors.Add("secret.value", $"is {bytes} bytes; at most {ServerLimits.MaxSecretValueBytes}");
        }

        // The value goes into a header: a line break would end it there and start another (header injection).
        var control = value.IndexOfAny([.. Enumerable.Range(0, 32).Select(c => (char)c), (char)127]);
        if (control >= 0)
        {
            errors.Add("secret.value", $"has a control character at position {control} ({(value[control] == '\n' ? "a line break: a file's final newline?" : $"U+{(int)value[control]:X4}")}); a value goes into a request header, which cannot hold one");
        }

        if (value != value.Trim())
        {
            errors.Add("secret.value", "starts or ends with white space, which a request header would lose; remove it");
        }
    }
}
