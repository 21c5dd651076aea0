using System.Globalization;
using Airlock.Engine;
using Airlock.Sandboxes.Paths;

namespace Airlock.Sandboxes.Naming;

/// <summary>
/// Image names of namespaces: <c>localhost/airlock:NAME.OWNER</c>, where OWNER (<see cref="OwnerId"/>) stands for the
/// user and the state directory (<c>AIRLOCK_HOME</c>). One engine serves many of both (Docker's daemon serves every user
/// in the docker group; one user may keep several AIRLOCK_HOMEs), and each of them may have a namespace called
/// <c>default</c>: with the namespace's name alone they would build over, and delete, each other's image.
/// A namespace name cannot contain '.', so no name of this form is ever a <see cref="Legacy"/> one.
/// See docs/design/namespace-image-names.md.
/// </summary>
public static class NamespaceImage
{
    public const string Repository = "localhost/airlock";

    public static string For(string name, string ownerId) => $"{Repository}:{name}.{ownerId}";

    /// <summary>The name every namespace called <paramref name="name"/> got before names carried their owner; still used where config.yaml records it.</summary>
    public static string Legacy(string name) => $"{Repository}:{name}";

    public static bool IsLegacy(string image, string name) => image == Legacy(name);

    /// <summary>
    /// 12 hex digits of SHA-256 over <c>UID:STATE_DIR</c> (the state directory's full path, no trailing slash, links not
    /// resolved): the same for every run of one user on one state directory, different across users and directories.
    /// </summary>
    public static string OwnerId(int uid, string stateDirectory)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(stateDirectory));
        var key = string.Create(CultureInfo.InvariantCulture, $"{uid}:{path}");
        return ContentHash.Short(key, 12);
    }

    public static string OwnerId(int uid, AirlockPaths paths) => OwnerId(uid, paths.Root);
}
