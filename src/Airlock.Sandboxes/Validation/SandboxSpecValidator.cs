using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Validation;

/// <summary>Checks a spec before anything is created, so a bad spec leaves nothing behind.</summary>
public static class SandboxSpecValidator
{
    public static IReadOnlyList<ValidationError> Validate(SandboxSpec spec, string root = "sandbox")
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(spec.Image))
        {
            errors.Add($"{root}.image", "is empty; name an image such as localhost/airlock:default");
        }

        foreach (var (key, _) in spec.Environment)
        {
            if (!VariableNames.IsValid(key))
            {
                errors.Add($"{root}.environment.{key}", $"is not a valid variable name ({VariableNames.Rule})");
            }
        }

        for (var i = 0; i < spec.Mounts.Count; i++)
        {
            var m = spec.Mounts[i];
            var path = $"{root}.mounts[{i}]";
            if (!Path.IsPathFullyQualified(m.Source))
            {
                errors.Add($"{path}.source", $"'{m.Source}' is not an absolute host path");
            }
            else if (Hardening.ExposesEngineSocket(m.Source))
            {
                errors.Add($"{path}.source", $"'{m.Source}' would expose a container engine socket (and so the whole host) to the sandbox; mount a narrower directory");
            }
            else if (Hardening.IsKernelFilesystem(m.Source))
            {
                errors.Add($"{path}.source", $"'{m.Source}' is part of {string.Join(", ", Hardening.KernelFilesystems)}, which hand the sandbox the host's processes, devices or kernel settings; mount a directory of files instead");
            }

            if (!m.Target.StartsWith('/') || m.Target.Split('/').Contains(".."))
            {
                errors.Add($"{path}.target", $"'{m.Target}' is not an absolute container path without '..'");
            }
        }

        for (var i = 0; i < spec.Ports.Count; i++)
        {
            var p = spec.Ports[i];
            var path = $"{root}.ports[{i}]";
            if (p.ContainerPort is < 1 or > 65535)
            {
                errors.Add($"{path}.containerPort", $"{p.ContainerPort} is not a port (1-65535)");
            }

            if (p.HostPort is < 0 or > 65535)
            {
                errors.Add($"{path}.hostPort", $"{p.HostPort} is not a port (1-65535, or 0 for any free port)");
            }

            if (!System.Net.IPAddress.TryParse(p.HostAddress.Trim('[', ']'), out _))
            {
                errors.Add($"{path}.hostAddress", $"'{p.HostAddress}' is not an IP address");
            }

            if (p.Protocol is not ("tcp" or "udp"))
            {
                errors.Add($"{path}.protocol", $"'{p.Protocol}' is not tcp or udp");
            }
        }

        foreach (var cap in spec.Security.CapAdd)
        {
            var name = cap.StartsWith("CAP_", StringComparison.OrdinalIgnoreCase) ? cap[4..] : cap;
            if (!Hardening.GrantableCapabilities.Contains(name))
            {
                errors.Add($"{root}.security.capAdd", $"'{cap}' cannot be granted to a sandbox; allowed: {string.Join(", ", Hardening.GrantableCapabilities.Order(StringComparer.Ordinal))}");
            }
        }

        if (spec.Limits.MemoryBytes is < 6 * 1024 * 1024)
        {
            errors.Add($"{root}.limits.memory", $"{spec.Limits.MemoryBytes} bytes is below the engines' 6 MiB minimum");
        }

        if (spec.Limits.Cpus is <= 0)
        {
            errors.Add($"{root}.limits.cpus", $"{spec.Limits.Cpus} is not a positive number of CPUs");
        }

        if (spec.Limits.Pids is < 1)
        {
            errors.Add($"{root}.limits.pids", $"{spec.Limits.Pids} is not a positive process count");
        }

        if (!NetworkModes.IsSpecMode(spec.Network.Mode))
        {
            errors.Add($"{root}.network.mode", $"'{spec.Network.Mode}' is not one of {NetworkPolicy.Bridge} (written open), {NetworkPolicy.Allowlist}, {NetworkPolicy.None}");
        }

        foreach (var port in spec.Network.HostPorts)
        {
            if (port is < 1 or > 65535)
            {
                errors.Add($"{root}.network.hostPorts", $"{port} is not a port (1-65535)");
            }
        }

        foreach (var (field, message) in IsolationRules.Problems(spec))
        {
            errors.Add($"{root}.{field}", message);
        }

        return errors.All;
    }
}
