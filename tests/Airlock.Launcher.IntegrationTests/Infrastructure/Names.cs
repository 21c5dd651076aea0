using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// Unique names, so tests can run side by side, and so can two runs of the suite on one machine (a developer's and a
/// CI copy): everything a run makes carries its <see cref="RunId"/>, and its leak check looks at its own objects only.
/// </summary>
public static class Names
{
    /// <summary>This run's id: 4 hex digits in every namespace name and scratch dir.</summary>
    public static string RunId { get; } = Hex(2);

    /// <summary>Every namespace this run creates starts with this (it-RUN-); its image is localhost/airlock:it-RUN-….OWNER.</summary>
    public static string NamespacePrefix { get; } = $"it-{RunId}-";

    public static string ImagePrefix { get; } = "localhost/airlock:" + NamespacePrefix;

    /// <summary>Every scratch dir of this run (projects included) starts with this, below the temp dir.</summary>
    public static string ScratchPrefix { get; } = $"airlock-it-{RunId}-";

    /// <summary>A namespace name of this run: it-RUN-6HEX.</summary>
    public static string Namespace() => NamespacePrefix + Hex(3);

    public static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>
    /// The image airlock gives namespace <paramref name="ns"/> of the user <paramref name="uid"/> whose state directory is
    /// <paramref name="airlockHome"/>: localhost/airlock:NS.OWNER, OWNER the first 12 hex digits of SHA-256("UID:PATH"),
    /// worked out here on its own, as docs/namespaces.md describes it.
    /// </summary>
    public static string Image(string ns, string airlockHome, int uid = 0) => $"localhost/airlock:{ns}.{OwnerId(uid, airlockHome)}";

    public static string OwnerId(int uid, string airlockHome) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{uid}:{airlockHome.TrimEnd('/')}"))))[..12];

    /// <summary>A new scratch dir of this run, e.g. /tmp/airlock-it-RUN-shared-XXXXXX.</summary>
    public static string NewScratchDir(string kind) => Directory.CreateTempSubdirectory(ScratchPrefix + kind + "-").FullName;
}
