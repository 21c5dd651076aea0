namespace Airlock.Engine.Errors;

/// <summary>A pull could not reach the image's registry (no network, DNS failure, refused connection).</summary>
public sealed class RegistryUnreachableException(string image, string engineMessage)
    : EngineException(
        $"registry not reachable while pulling {image}: {engineMessage}. Check the network, or build or import the image locally (scripts/base-image.sh does this for the base image)",
        null, engineMessage)
{
    public string Image { get; } = image;
}
