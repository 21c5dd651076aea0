using System.Security.Cryptography;
using Airlock.Engine.Exec;

namespace Airlock.Sandboxes.Runtime;

/// <summary>
/// How a command started in a sandbox is found again to be killed. The Engine API has no call that stops an exec, and
/// the process id it reports belongs to the host's namespace (and to a host the server may not be on). So every exec
/// carries a random value in <see cref="Variable"/>, which its children inherit; killing it is a second exec that sends
/// SIGKILL to each process of the sandbox whose initial environment holds that value. A process inside can leave the
/// marker behind (a child started with a cleared environment); then it is not killed, and the caller keeps counting it
/// until its output ends. The kill needs <c>sh</c>, <c>tr</c> and <c>grep</c> in the image.
/// </summary>
public static class ExecMarker
{
    public const string Variable = "AIRLOCK_EXEC_ID";

    // Reads /proc/PID/environ of every process it may read (its own user's) and kills those holding the marker; the
    // loop's own shell and its pipeline do not hold it (the kill exec's environment does not have the variable).
    private const string KillScript =
        """
        for d in /proc/[0-9]*; do
          if tr '\0' '\n' < "$d/environ" 2>/dev/null | grep -qxF "AIRLOCK_EXEC_ID=$1"; then
            kill -KILL "${d#/proc/}" 2>/dev/null
          fi
        done
        exit 0
        """;

    /// <summary>A fresh marker value: 96 random bits, so one exec's kill never reaches another's processes.</summary>
    public static string NewValue() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary><paramref name="options"/> with the marker set (over any value the caller put there).</summary>
    public static ExecOptions Mark(ExecOptions options, string value) =>
        options with { Environment = new Dictionary<string, string>(options.Environment) { [Variable] = value } };

    /// <summary>The exec that kills every process carrying <paramref name="value"/>, as the same user.</summary>
    public static ExecOptions Killer(ExecOptions marked, string value) => new()
    {
        Command = ["/bin/sh", "-c", KillScript, "airlock-exec-kill", value],
        User = marked.User,
    };
}
