using System.Text;
using Airlock.Sandboxes.Validation;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// A path inside a sandbox as a tenant gives it (<c>?path=</c>, a move's <c>from</c> and <c>to</c>): absolute, without a
/// '..' part or NUL, within <see cref="ServerLimits.MaxSandboxPathChars"/>, each part a legal file name. It is normalised
/// (repeated '/', '.' parts and a trailing '/' dropped), so what reaches the engine or a command is exactly what was checked.
/// '..' is refused rather than resolved: resolving it here would be by name, while the sandbox's links decide where it goes.
/// </summary>
public static class SandboxPath
{
    /// <summary>Linux's NAME_MAX: no file system takes a longer name.</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The normalised path, or null with the reasons added to <paramref name="errors"/> under <paramref name="field"/>.</summary>
    public static string? Check(ValidationErrors errors, string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "is required: an absolute path in the sandbox, e.g. /home/user/notes.txt");
            return null;
        }

        var shown = Names.Shorten(value.Replace("\0", "\\0", StringComparison.Ordinal));
        if (value.Length > ServerLimits.MaxSandboxPathChars)
        {
            errors.Add(field, $"has {value.Length} characters; a path may have at most {ServerLimits.MaxSandboxPathChars}");
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(field, $"'{shown}' contains a NUL character, which no path can hold");
            return null;
        }

        if (!value.StartsWith('/'))
        {
            errors.Add(field, $"'{shown}' is not absolute; give the full path from the sandbox's root, e.g. /{shown.TrimStart('.', '/')}");
            return null;
        }

        var parts = value.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
        {
            errors.Add(field, $"'{shown}' has a '..' part; give the path without it (paths are not resolved upwards, so none can climb out of where it names)");
            return null;
        }

        if (parts.FirstOrDefault(p => Encoding.UTF8.GetByteCount(p) > MaxNameBytes) is { } longName)
        {
            errors.Add(field, $"'{Names.Shorten(longName)}' in '{shown}' is longer than {MaxNameBytes} bytes, the most a file name may be");
            return null;
        }

        var normal = "/" + string.Join('/', parts);
        if (KernelProblem(normal) is { } kernel)
        {
            errors.Add(field, kernel);
            return null;
        }

        return normal;
    }

    /// <summary>
    /// Why <paramref name="path"/> (normalised, and where known, resolved) may not be used: /proc, /sys and /dev are the
    /// kernel's interfaces, not files the sandbox keeps. The engine's archive code may reach them with rights the sandbox
    /// lacks (podman copies as root in the sandbox's mount namespace), so they stay out of reach here; a command run with
    /// exec sees them with the sandbox's own rights. Null when it may be used.
    /// </summary>
    public static string? KernelProblem(string path) =>
        KernelRoots.FirstOrDefault(root => path == root || path.StartsWith(root + "/", StringComparison.Ordinal)) is { } hit
            ? $"'{Names.Shorten(path)}' is under {hit}, the kernel's interface rather than files the sandbox keeps; read it with exec (e.g. cat {Names.Shorten(path)})"
            : null;

    private static readonly string[] KernelRoots = ["/proc", "/sys", "/dev"];

    /// <summary>Checks one path and throws a 400 naming <paramref name="field"/> when it is not one.</summary>
    public static string Require(string field, string? value)
    {
        var errors = new ValidationErrors();
        var path = Check(errors, field, value);
        errors.ThrowIfAny(field.StartsWith("query.", StringComparison.Ordinal) ? "the query" : "the request");
        return path!;
    }

    /// <summary>The directory holding <paramref name="path"/> ("/" for a top-level one).</summary>
    public static string Parent(string path) => path.LastIndexOf('/') is var cut and > 0 ? path[..cut] : "/";

    /// <summary>The last part of <paramref name="path"/>.</summary>
    public static string NameOf(string path) => path == "/" ? "/" : path[(path.LastIndexOf('/') + 1)..];
}
