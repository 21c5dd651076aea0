using Microsoft.AspNetCore.Http;

namespace Airlock.Server.Audit;

/// <summary>
/// What an endpoint adds to its call's audit entry beyond the route values: what the body named (a secret's name, the
/// secrets bound to a sandbox), never a value. The entry's target keeps at most <see cref="MaxChars"/> characters.
/// </summary>
public static class AuditTarget
{
    public const int MaxChars = 512;

    private static readonly object Key = new();

    public static void Add(HttpContext context, string part)
    {
        if (context.Items[Key] is not List<string> parts)
        {
            context.Items[Key] = parts = [];
        }

        parts.Add(part);
    }

    /// <summary>The parts added, joined; null when none.</summary>
    public static string? Of(HttpContext context) => context.Items[Key] is List<string> { Count: > 0 } parts ? string.Join(",", parts) : null;

    /// <summary><paramref name="target"/> cut to <see cref="MaxChars"/>, saying so.</summary>
    public static string Cap(string target) => target.Length <= MaxChars ? target : target[..(MaxChars - 3)] + "...";
}
