namespace Airlock.Server.Images;

/// <summary>Where a sandbox's image comes from, as the request named it: the field, and the image the engine is asked for.</summary>
/// <param name="Field">The request field that named it: <c>image</c>, <c>snapshot</c> or <c>template</c>.</param>
/// <param name="Reference">The image name given to the engine.</param>
/// <param name="Name">The snapshot id or template name (null for <c>image</c>).</param>
public sealed record ImageSource(string Field, string Reference, string? Name = null)
{
    public const string ImageField = "image";
    public const string SnapshotField = "snapshot";
    public const string TemplateField = "template";

    public static ImageSource Image(string reference) => new(ImageField, reference);

    public static ImageSource Snapshot(string id, string image) => new(SnapshotField, image, id);

    public static ImageSource Template(string name, string image) => new(TemplateField, image, name);
}
