using System.Net;
using Airlock.Engine.Errors;
using Airlock.Sandboxes.Validation;
using Airlock.Server.Errors;

namespace Airlock.Server.Sandboxes;

/// <summary>
/// Turns what an engine refused while making or starting a tenant's container into the tenant's 400, naming the field
/// the refusal is about and carrying the engine's own reason. Docker answers most such refusals with 400 and some with
/// 500 (a working directory that is a file); podman answers all of them with 500, so the reason decides. A refusal this
/// does not recognise stays the engine's failure (logged, 500), never blamed on the tenant.
/// </summary>
public static class EngineRefusals
{
    private static readonly (string Field, string[] Markers)[] Causes =
    [
        ("command", ["no command specified", "no command or entrypoint", "executable file not found", "command that was not found", "exec format error",
            "oci permission denied", "unable to start container process: exec:"]),
        ("workingDirectory", ["workdir", "cannot mkdir", "chdir to cwd", "not a directory"]),
        ("limits.cpus", ["range of cpus", "nanocpus", "cpu quota", "cpu period"]),
        ("limits.memoryBytes", ["minimum memory limit", "memory limit"]),
        ("limits.pids", ["pids"]),
    ];

    /// <summary>The tenant's 400 for <paramref name="ex"/>, or null when the refusal is not the tenant's doing.</summary>
    public static ApiException? ForSandbox(EngineException ex, string root)
    {
        if (ex is EngineUnreachableException or EngineApiTooOldException)
        {
            return null;
        }

        var reason = ex.EngineMessage ?? ex.Message;
        foreach (var (field, markers) in Causes)
        {
            if (markers.Any(m => reason.Contains(m, StringComparison.OrdinalIgnoreCase)))
            {
                return Refused($"{root}.{field}", reason);
            }
        }

        return ex.StatusCode == HttpStatusCode.BadRequest ? Refused(root, reason) : null;
    }

    private static ApiException Refused(string path, string reason) =>
        ApiException.Invalid("the sandbox", [new ValidationError(path, $"the engine refused it: {reason}")]);
}
