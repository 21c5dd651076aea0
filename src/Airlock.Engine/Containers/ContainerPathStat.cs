using System.Text.Json.Serialization;

namespace Airlock.Engine.Containers;

/// <summary>
/// The engine's <c>X-Docker-Container-Path-Stat</c> header (base64 JSON) from <c>HEAD /containers/{id}/archive</c>, as the
/// engine wrote it: <see cref="Mode"/> is Go's <c>os.FileMode</c> (type bits high, permissions low). Docker names the
/// link itself and sets <see cref="LinkTarget"/> only for links; podman names what a link resolves to and fills
/// <see cref="LinkTarget"/> for every path. The runtime evens these out.
/// </summary>
public sealed record ContainerPathStat(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("mode")] long Mode,
    [property: JsonPropertyName("mtime")] DateTimeOffset Modified,
    [property: JsonPropertyName("linkTarget")] string? LinkTarget)
{
    /// <summary>Go's os.ModeDir.</summary>
    public const long ModeDir = 1L << 31;

    /// <summary>Go's os.ModeSymlink.</summary>
    public const long ModeSymlink = 1L << 27;

    /// <summary>Every type bit of Go's os.FileMode (ModeType: directory, link, device, pipe, socket, char device, irregular); none is a regular file.</summary>
    public const long ModeType = ModeDir | ModeSymlink | (1L << 26) | (1L << 25) | (1L << 24) | (1L << 21) | (1L << 19);

    /// <summary>Go keeps setuid, setgid and sticky apart from the permission bits (os.ModeSetuid, ModeSetgid, ModeSticky).</summary>
    public int UnixMode =>
        (int)(Mode & 0x1FF) | ((Mode & (1L << 23)) != 0 ? 0x800 : 0) | ((Mode & (1L << 22)) != 0 ? 0x400 : 0) | ((Mode & (1L << 20)) != 0 ? 0x200 : 0);
}
