using System.Security.Cryptography;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>Unique names, so tests can run side by side and the leak check can tell test objects from a user's.</summary>
public static class Names
{
    /// <summary>Every namespace a test creates starts with this; its image is localhost/airlock:it-….</summary>
    public const string NamespacePrefix = "it-";

    public const string ImagePrefix = "localhost/airlock:" + NamespacePrefix;

    public static string Namespace() => NamespacePrefix + Hex(3);

    public static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    public static string Image(string ns) => "localhost/airlock:" + ns;
}
