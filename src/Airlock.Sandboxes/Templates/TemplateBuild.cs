using System.Globalization;
using Airlock.Engine.Images;

namespace Airlock.Sandboxes.Templates;

/// <summary>
/// How a forked template dir is built into an image, the same for a namespace (launcher) and a served sandbox
/// (server): the template's FROM is the base image setting, and the sandbox user gets the uid/gid asked for.
/// </summary>
public static class TemplateBuild
{
    /// <summary>What templates build FROM unless the user or the server says otherwise: the local mmdebstrap image here.</summary>
    public const string DefaultBaseImage = "localhost/airlock-base:bookworm";

    public static BuildOptions Options(
        string buildDir, string tag, string baseImage, int uid, int gid, IReadOnlyDictionary<string, string> labels, bool noCache = false) => new()
    {
        ContextDirectory = buildDir,
        Tag = tag,
        NoCache = noCache,
        BuildArgs = new Dictionary<string, string>
        {
            ["BASE_IMAGE"] = baseImage,
            ["AIRLOCK_UID"] = uid.ToString(CultureInfo.InvariantCulture),
            ["AIRLOCK_GID"] = gid.ToString(CultureInfo.InvariantCulture),
        },
        Labels = labels,
    };
}
