using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Airlock.Sandboxes.Security.Seccomp;

/// <summary>
/// A seccomp profile in the JSON form both engines read (Docker inline in <c>seccomp=</c>, podman from a file). Calls
/// that no rule allows fail with <see cref="DefaultErrnoRet"/> (EPERM).
/// </summary>
public sealed record SeccompProfile
{
    public string DefaultAction { get; init; } = SeccompRule.Errno;

    public int DefaultErrnoRet { get; init; } = SeccompErrno.PermissionDenied;

    public required IReadOnlyList<SeccompArchitecture> ArchMap { get; init; }

    public required IReadOnlyList<SeccompRule> Syscalls { get; init; }

    /// <summary>
    /// The document the engines are given; the same profile always gives the same bytes. Written with Utf8JsonWriter:
    /// the serializer's first use costs a launch ~60 ms of start-up, the writer almost nothing.
    /// </summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(32 * 1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("defaultAction", DefaultAction);
            json.WriteNumber("defaultErrnoRet", DefaultErrnoRet);
            json.WriteStartArray("archMap");
            foreach (var arch in ArchMap)
            {
                json.WriteStartObject();
                json.WriteString("architecture", arch.Architecture);
                WriteStrings(json, "subArchitectures", arch.SubArchitectures);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("syscalls");
            foreach (var rule in Syscalls)
            {
                WriteRule(json, rule);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteRule(Utf8JsonWriter json, SeccompRule rule)
    {
        json.WriteStartObject();
        WriteStrings(json, "names", rule.Names);
        json.WriteString("action", rule.Action);
        if (rule.Args is { } args)
        {
            json.WriteStartArray("args");
            foreach (var arg in args)
            {
                json.WriteStartObject();
                json.WriteNumber("index", arg.Index);
                json.WriteNumber("value", arg.Value);
                json.WriteNumber("valueTwo", arg.ValueTwo);
                json.WriteString("op", arg.Op);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (rule.ErrnoRet is { } errno)
        {
            json.WriteNumber("errnoRet", errno);
        }

        if (rule.Includes is { } includes)
        {
            json.WriteStartObject("includes");
            WriteStrings(json, "arches", includes.Arches);
            json.WriteEndObject();
        }

        if (rule.Comment is { } comment)
        {
            json.WriteString("comment", comment);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}

/// <summary>A native architecture and the compat ABIs its kernel also serves, which get the same rules.</summary>
public sealed record SeccompArchitecture(
    string Architecture,
    IReadOnlyList<string> SubArchitectures);

/// <summary>The error numbers the profile answers with.</summary>
public static class SeccompErrno
{
    /// <summary>EPERM: "not allowed here".</summary>
    public const int PermissionDenied = 1;

    /// <summary>ENOSYS: "this kernel lacks the call", which makes libc and runtimes fall back to an older call the profile can check.</summary>
    public const int NotImplemented = 38;
}
