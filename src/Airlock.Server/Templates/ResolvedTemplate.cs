using Airlock.Sandboxes.Templates;

namespace Airlock.Server.Templates;

/// <summary>A template forked into a private build dir (removed on dispose), with the image tag its content hash names.</summary>
public sealed record ResolvedTemplate(string Name, string Image, string BuildDir, TemplateMetadata Metadata) : IDisposable
{
    public void Dispose()
    {
        if (Directory.Exists(BuildDir))
        {
            Directory.Delete(BuildDir, recursive: true);
        }
    }
}
