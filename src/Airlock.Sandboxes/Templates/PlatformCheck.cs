using Airlock.Engine.Identity;

namespace Airlock.Sandboxes.Templates;

/// <summary>
/// Refuses a template whose template.yaml does not list the engine's os/arch/kind. The os and arch are the engine's own
/// (its <c>/version</c>), so a remote node is checked as the machine it is, not as the one airlock runs on.
/// </summary>
public static class PlatformCheck
{
    public static void Ensure(string template, TemplateMetadata metadata, EngineIdentity engine)
    {
        if (metadata.Platforms.Count == 0)
        {
            return;
        }

        var (os, arch) = (engine.Os, engine.Arch);
        var runtime = engine.Kind.ToString().ToLowerInvariant();
        if (metadata.Platforms.Any(p => p.Os == os && p.Arch == arch && (p.Runtime is "*" || p.Runtime == runtime)))
        {
            return;
        }

        throw new TemplateRefusedException(
            $"template '{template}' does not support this host ({os}/{arch}/{runtime}); it supports: {string.Join(", ", metadata.Platforms)}. " +
            "Pick another template (airlock list templates) or use a supported engine (AIRLOCK_ENGINE=podman|docker)");
    }
}
