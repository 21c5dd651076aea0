using System.Text.RegularExpressions;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Errors;
using Airlock.Server.Images;
using Airlock.Server.Snapshots;
using Airlock.Server.Tenants;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Checks a create request and turns it into a sandbox spec with the launcher's hardening (the shared sandbox core
/// adds the rest: every capability dropped, no-new-privileges, init). Every problem is reported with its field's path.
/// </summary>
public static partial class SandboxRequestValidator
{
    public const double DefaultCpus = 1.0;
    public const long DefaultMemoryBytes = 1024L * 1024 * 1024;

    /// <summary>The default of <c>imageProblem</c>: an image nobody checked against the allowlist is refused, never run.</summary>
    public const string ImageNotChecked = "was not checked against the server's image allowlist";

    /// <summary>
    /// Checks <paramref name="request"/>; <paramref name="snapshotImage"/> is the image of the snapshot it names, already
    /// found in the tenant; <paramref name="templateImage"/> the image of the template it names, or
    /// <paramref name="templateProblem"/> why that template cannot be served; <paramref name="imageProblem"/> why the
    /// image it names may not be used (null: <see cref="Images.ImagePolicy"/> allowed it); <paramref name="isolation"/> the
    /// tenant's isolation policy (every level, default container, when not given): a request naming no level gets the
    /// tenant's default, and one naming a level the tenant may not use is refused (403); <paramref name="ceiling"/> the
    /// tenant's egress ceiling (<see cref="TenantEgress.Default"/> when not given): a network beyond it is refused (403);
    /// <paramref name="tenantSecrets"/> the tenant's secrets among those the request names (null: their existence is not
    /// checked, as for a restore, whose sandbox keeps the secrets it was made with).
    /// </summary>
    public static SandboxPlan Validate(
        CreateSandboxRequest request,
        string root = "sandbox",
        string? snapshotImage = null,
        string? templateImage = null,
        string? templateProblem = null,
        string? imageProblem = ImageNotChecked,
        TenantIsolation? isolation = null,
        TenantEgress? ceiling = null,
        IReadOnlyDictionary<string, Secrets.SealedTenantSecret>? tenantSecrets = null)
    {
        var errors = new ValidationErrors();
        if (request.Name is null)
        {
            errors.Add($"{root}.name", "is missing; give the sandbox a name (lower-case letters, digits and '-')");
        }
        else if (!Names.IsValid(request.Name))
        {
            errors.Add($"{root}.name", $"'{Names.Shorten(request.Name)}' is not a valid name: {Names.Rule}");
        }

        ImageSource? source = null;
        if (request.Snapshot is not null)
        {
            if (request.Image is not null || request.Template is not null)
            {
                errors.Add($"{root}.snapshot", "give an image, a template or a snapshot, not several");
            }
            else if (!SnapshotIds.IsValid(request.Snapshot) || snapshotImage is null)
            {
                errors.Add($"{root}.snapshot", $"'{Names.Shorten(request.Snapshot)}' is not a snapshot id (sn followed by 24 hex digits, as POST /v1/sandboxes/{{id}}/snapshots answers)");
            }
            else
            {
                source = ImageSource.Snapshot(request.Snapshot, snapshotImage);
            }
        }
        else if (request.Template is not null)
        {
            if (request.Image is not null)
            {
                errors.Add($"{root}.template", "give an image, a template or a snapshot, not several");
            }
            else if (templateImage is null)
            {
                errors.Add($"{root}.template", templateProblem ?? $"'{Names.Shorten(request.Template)}' is not a template here");
            }
            else
            {
                source = ImageSource.Template(request.Template, templateImage);
            }
        }
        else if (string.IsNullOrEmpty(request.Image))
        {
            errors.Add($"{root}.image", "is missing; name an image the server allows (GET /v1/tenants/{tenant}/images lists them), a \"template\" or a \"snapshot\"");
        }
        else if (imageProblem is not null)
        {
            errors.Add($"{root}.image", imageProblem);
        }
        else
        {
            source = ImageSource.Image(request.Image);
        }

        RequestBounds.CheckCommand(errors, $"{root}.command", request.Command, required: false, "[\"sleep\", \"infinity\"] (leave it out for the image's own command)");

        // Names are checked by the shared core below (sandbox.environment.NAME); the sizes here.
        RequestBounds.CheckEnvironment(errors, $"{root}.env", request.Env, checkNames: false);

        var labels = request.Labels ?? new Dictionary<string, string>();
        if (labels.Count > ServerLimits.MaxLabels)
        {
            errors.Add($"{root}.labels", $"has {labels.Count} labels; at most {ServerLimits.MaxLabels}");
            labels = new Dictionary<string, string>();
        }

        foreach (var (key, value) in labels)
        {
            if (!LabelKey().IsMatch(key) || key.StartsWith(SandboxLabels.Prefix, StringComparison.Ordinal))
            {
                errors.Add($"{root}.labels.{Names.Shorten(key)}", "is not a label key (lower-case letters, digits, '.', '-', '_', '/'; at most 63; not io.airlock.*)");
            }

            if (value is null || value.Length > 255 || value.Any(char.IsControl))
            {
                errors.Add($"{root}.labels.{Names.Shorten(key)}", "must have a value of at most 255 printable characters");
            }
        }

        if (request.WorkingDirectory is { } dir && !Paths.IsSafeAbsolute(dir))
        {
            errors.Add($"{root}.workingDirectory", $"'{Names.Shorten(dir)}' is not an absolute path without '..'");
        }

        var cpus = request.Limits?.Cpus ?? DefaultCpus;
        var memory = request.Limits?.MemoryBytes ?? DefaultMemoryBytes;
        var pids = request.Limits?.Pids ?? SandboxLimits.DefaultPids;
        if (cpus is < 0.01 or > 64 || double.IsNaN(cpus))
        {
            errors.Add($"{root}.limits.cpus", $"{cpus} is not between 0.01 and 64");
        }

        if (memory is < 6 * 1024 * 1024 or > 256L * 1024 * 1024 * 1024)
        {
            errors.Add($"{root}.limits.memoryBytes", $"{memory} is not between 6 MiB (6291456) and 256 GiB");
        }

        if (pids is < 1 or > 65_536)
        {
            errors.Add($"{root}.limits.pids", $"{pids} is not between 1 and 65536");
        }

        // No network unless asked: a tenant's code is untrusted.
        var egress = SandboxNetworkRules.Check(request.Network, errors, $"{root}.network");

        var secrets = CheckSecrets(request, egress, tenantSecrets, errors, root);

        IsolationLevel? level = null;
        if (request.Isolation is { } levelName && (level = IsolationLevels.TryParse(levelName)) is null)
        {
            errors.Add($"{root}.isolation", IsolationLevels.ErrorFor(Names.Shorten(levelName)));
        }

        var lifetime = CheckLifetime(request, errors, root);
        errors.ThrowIfAny(root);
        SandboxNetworkRules.EnforceCeiling(egress, ceiling ?? TenantEgress.Default, $"{root}.network");
        var policy = isolation ?? TenantIsolation.Open;
        if (level is { } asked && !policy.Allows(asked))
        {
            throw ApiException.Forbidden(
                $"{root}.isolation: '{IsolationLevels.Name(asked)}' is not allowed for this tenant; it may use {policy.AllowedNames} (the system admin sets this: PUT /v1/tenants/{{tenant}}/isolation)");
        }

        var spec = new SandboxSpec
        {
            Image = source!.Reference,
            Command = request.Command,
            WorkingDirectory = request.WorkingDirectory,
            Environment = request.Env ?? new Dictionary<string, string>(),
            Limits = new SandboxLimits(memory, cpus, pids),
            Network = SandboxNetworkRules.ToSpec(egress),
            Security = SecurityPolicy.Default,
            Isolation = level ?? policy.Default,
        };

        // The shared core's own checks (environment names, limits) on the spec it will run.
        var specErrors = SandboxSpecValidator.Validate(spec, root);
        if (specErrors.Count > 0)
        {
            throw new ValidationException(root, specErrors);
        }

        return new SandboxPlan(request.Name!, spec, (long)Math.Round(cpus * 1000), memory, labels, source) { Egress = egress, Secrets = secrets, Lifetime = lifetime };
    }

    /// <summary>The lifetime asked for; null when the request sets none (the sandbox lives until deleted).</summary>
    private static LifetimeRequest? CheckLifetime(CreateSandboxRequest request, ValidationErrors errors, string root)
    {
        CheckSeconds(errors, $"{root}.timeoutSeconds", request.TimeoutSeconds);
        CheckSeconds(errors, $"{root}.idleTimeoutSeconds", request.IdleTimeoutSeconds);
        if (request.OnTimeout is { } ending && !SandboxLifetime.Endings.Contains(ending))
        {
            errors.Add($"{root}.onTimeout", $"'{Names.Shorten(ending)}' is not one of {string.Join(", ", SandboxLifetime.Endings)}");
        }
        else if (request.OnTimeout is not null && request.TimeoutSeconds is null && request.IdleTimeoutSeconds is null)
        {
            errors.Add($"{root}.onTimeout", "says what a timeout does, but there is none: add timeoutSeconds or idleTimeoutSeconds");
        }

        return request.TimeoutSeconds is null && request.IdleTimeoutSeconds is null
            ? null
            : new LifetimeRequest(
                request.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : null,
                request.OnTimeout ?? SandboxLifetime.Stop,
                request.IdleTimeoutSeconds is { } i ? TimeSpan.FromSeconds(i) : null);
    }

    public static void CheckSeconds(ValidationErrors errors, string path, int? seconds)
    {
        if (seconds is < 1 or > SandboxLifetime.MaxSeconds)
        {
            errors.Add(path, $"{seconds} is not between 1 and {SandboxLifetime.MaxSeconds} (30 days)");
        }
    }

    /// <summary>
    /// The secrets the request names: only for an allowlist (where the proxy that fills them in is the only way out),
    /// each once, each a secret of the tenant, and no two (nor <c>env</c>) putting something in the same variable.
    /// </summary>
    private static IReadOnlyList<string> CheckSecrets(
        CreateSandboxRequest request, Airlock.Sandboxes.Egress.EgressPolicy egress, IReadOnlyDictionary<string, Secrets.SealedTenantSecret>? tenantSecrets, ValidationErrors errors, string root)
    {
        if (request.Secrets is not { Count: > 0 } names)
        {
            return [];
        }

        var path = $"{root}.secrets";
        if (egress.Mode != Airlock.Sandboxes.Egress.EgressMode.Allowlist)
        {
            errors.Add(path, "secrets need \"network\": {\"mode\": \"allowlist\", \"allow\": [...]}: only there does all the sandbox's traffic pass the egress proxy that fills them in; "
                + "give the sandbox an allowlist (naming the secrets' hosts), or leave secrets out");
        }

        if (names.Count > ServerLimits.MaxSecretsPerSandbox)
        {
            errors.Add(path, $"has {names.Count} secrets; at most {ServerLimits.MaxSecretsPerSandbox}");
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<string>();
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (name is null)
            {
                errors.Add($"{path}[{i}]", "is null; give a secret's name");
                continue;
            }

            if (Secrets.SecretRules.NameProblem(name) is { } problem)
            {
                errors.Add($"{path}[{i}]", problem);
                continue;
            }

            if (!seen.Add(name))
            {
                errors.Add($"{path}[{i}]", $"'{name}' is named twice; name each secret once");
                continue;
            }

            ordered.Add(name);

            if (tenantSecrets is null)
            {
                continue;
            }

            if (!tenantSecrets.TryGetValue(name, out var secret))
            {
                errors.Add($"{path}[{i}]", $"'{name}' is not a secret of this tenant; a tenant admin sets it with POST /v1/tenants/{{tenant}}/secrets (airlock secret set {name} ...)");
                continue;
            }

            var variable = secret.Secret.Variable;
            if (request.Env?.ContainsKey(variable) == true)
            {
                errors.Add($"{path}[{i}]", $"'{name}' puts its placeholder in {variable}, which env sets too; leave {variable} out of env");
            }
            else if (variables.TryGetValue(variable, out var other))
            {
                errors.Add($"{path}[{i}]", $"'{name}' puts its placeholder in {variable}, as '{other}' does; give one of them another variable (POST /v1/tenants/{{tenant}}/secrets with \"variable\")");
            }
            else
            {
                variables[variable] = name;
            }
        }

        return ordered;
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9._/-]{0,62})$")]
    private static partial Regex LabelKey();
}
