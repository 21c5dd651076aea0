using System.Runtime.InteropServices;
using Airlock.Engine.Identity;

namespace Airlock.Sandboxes.Templates;

/// <summary>Refuses a template whose template.yaml does not list this host's os/arch/engine.</summary>
public static class PlatformCheck
{
    public static string HostOs => OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows" : "linux";

    public static string HostArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static void Ensure(string template, TemplateMetadata metadata, EngineKind engine, string? os = null, string? arch = null)
    {
        if (metadata.Platforms.Count == 0)
        {
            return;
        }

        os ??= HostOs;
        arch ??= HostArch;
        var runtime = engine.ToString().ToLowerInvariant();
        if (metadata.Platforms.Any(p => p.Os == os && p.Arch == arch && (p.Runtime is "*" || p.Runtime == runtime)))
        {
            return;
        }

        throw new TemplateRefusedException(
            $"template '{template}' does not support this host ({os}/{arch}/{runtime}); it supports: {string.Join(", ", metadata.Platforms)}. " +
            "Pick another template (airlock list templates) or use a supported engine (AIRLOCK_ENGINE=podman|docker)");
    }
}
