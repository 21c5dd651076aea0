namespace Airlock.Launcher.Namespaces;

/// <summary>Image names of namespaces.</summary>
public static class NamespaceImage
{
    public const string Repository = "localhost/airlock";

    public static string For(string name) => $"{Repository}:{name}";
}
