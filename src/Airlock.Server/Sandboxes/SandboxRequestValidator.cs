using System.Text.RegularExpressions;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Snapshots;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Checks a create request and turns it into a sandbox spec with the launcher's hardening (the shared sandbox core
/// adds the rest: every capability dropped, no-new-privileges, init). Every problem is reported with its field's path.
/// </summary>
public static partial class SandboxRequestValidator
{
    public const double DefaultCpus = 1.0;
    public const long DefaultMemoryBytes = 1024L * 1024 * 1024;
    public const int MaxLabels = 32;

    /// <summary>
    /// Checks <paramref name="request"/>; <paramref name="snapshotImage"/> is the image of the snapshot it names, already
    /// found in the tenant; <paramref name="templateImage"/> the image of the template it names, or
    /// <paramref name="templateProblem"/> why that template cannot be served.
    /// </summary>
    public static SandboxPlan Validate(
        CreateSandboxRequest request, string root = "sandbox", string? snapshotImage = null, string? templateImage = null, string? templateProblem = null)
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

        var image = request.Image;
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
                image = snapshotImage;
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
                image = templateImage;
            }
        }
        else if (string.IsNullOrEmpty(request.Image))
        {
            errors.Add($"{root}.image", "is missing; name an image such as localhost/airlock-base:bookworm");
        }
        else if (!ImageReference().IsMatch(request.Image) || request.Image.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"{root}.image", $"'{Names.Shorten(request.Image)}' is not an image reference (registry/name[:tag][@sha256:digest], lower-case)");
        }

        if (request.Command is { } command)
        {
            if (command.Count is 0 or > 256)
            {
                errors.Add($"{root}.command", "must have 1 to 256 arguments (leave it out for the image's own command)");
            }

            for (var i = 0; i < command.Count; i++)
            {
                if (command[i] is null || command[i].Length > 16_384 || command[i].Contains('\0', StringComparison.Ordinal))
                {
                    errors.Add($"{root}.command[{i}]", "must be a string of at most 16384 characters without NUL");
                }
            }
        }

        foreach (var (key, value) in request.Env ?? new Dictionary<string, string>())
        {
            if (value is null || value.Contains('\0', StringComparison.Ordinal) || value.Length > 32_768)
            {
                errors.Add($"{root}.env.{key}", "must be a string of at most 32768 characters without NUL");
            }
        }

        var labels = request.Labels ?? new Dictionary<string, string>();
        if (labels.Count > MaxLabels)
        {
            errors.Add($"{root}.labels", $"has {labels.Count} labels; at most {MaxLabels}");
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

        // No network unless asked: a tenant's code is untrusted, and "bridge" is the engine's default network, which
        // every tenant's bridged sandboxes share (per-tenant networks are not made yet).
        var network = request.Network ?? "none";
        if (network is not ("bridge" or "none"))
        {
            errors.Add($"{root}.network", $"'{Names.Shorten(network)}' is not bridge or none");
        }

        errors.ThrowIfAny(root);
        var spec = new SandboxSpec
        {
            Image = image!,
            Command = request.Command,
            WorkingDirectory = request.WorkingDirectory,
            Environment = request.Env ?? new Dictionary<string, string>(),
            Limits = new SandboxLimits(memory, cpus, pids),
            Network = network == "none" ? NetworkPolicy.Offline : NetworkPolicy.Default,
            Security = SecurityPolicy.Default,
        };

        // The shared core's own checks (environment names, limits) on the spec it will run.
        var specErrors = SandboxSpecValidator.Validate(spec, root);
        if (specErrors.Count > 0)
        {
            throw new ValidationException(root, specErrors);
        }

        return new SandboxPlan(request.Name!, spec, (long)Math.Round(cpus * 1000), memory, labels);
    }

    [GeneratedRegex(@"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9._/-]{0,62})$")]
    private static partial Regex LabelKey();
}
