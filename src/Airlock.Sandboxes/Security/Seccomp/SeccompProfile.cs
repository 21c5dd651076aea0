using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Airlock.Sandboxes.Security.Seccomp;

/// <summary>
/// A seccomp profile in the JSON form both engines read (Docker inline in <c>seccomp=</c>, podman from a file). Calls
/// that no rule allows fail with <see cref="DefaultErrnoRet"/> (EPERM).
/// </summary>
public sealed record SeccompProfile
{
    [JsonPropertyName("defaultAction")]
    public string DefaultAction { get; init; } = SeccompRule.Errno;

    [JsonPropertyName("defaultErrnoRet")]
    public int DefaultErrnoRet { get; init; } = SeccompErrno.PermissionDenied;

    [JsonPropertyName("archMap")]
    public required IReadOnlyList<SeccompArchitecture> ArchMap { get; init; }

    [JsonPropertyName("syscalls")]
    public required IReadOnlyList<SeccompRule> Syscalls { get; init; }

    /// <summary>The document the engines are given; the same profile always gives the same bytes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SeccompJsonContext.Default.SeccompProfile);

    /// <summary>A short name for the profile's content (where a copy is kept as a file, it is its name).</summary>
    public string ContentHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..16];
}

/// <summary>A native architecture and the compat ABIs its kernel also serves, which get the same rules.</summary>
public sealed record SeccompArchitecture(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("subArchitectures")] IReadOnlyList<string> SubArchitectures);

/// <summary>The error numbers the profile answers with.</summary>
public static class SeccompErrno
{
    /// <summary>EPERM: "not allowed here".</summary>
    public const int PermissionDenied = 1;

    /// <summary>ENOSYS: "this kernel lacks the call", which makes libc and runtimes fall back to an older call the profile can check.</summary>
    public const int NotImplemented = 38;
}

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(SeccompProfile))]
internal sealed partial class SeccompJsonContext : JsonSerializerContext;
