using System.Collections.Concurrent;
using Airlock.Engine.Errors;
using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Templates;
using Airlock.Server.Errors;
using Airlock.Server.Nodes;
using Airlock.Server.Sandboxes;
using Microsoft.Extensions.Logging;

namespace Airlock.Server.Templates;

/// <summary>
/// Turns a launcher template (baked-in, or one of the server user's) into an image on a node: built once and tagged
/// <c>localhost/airlock-template-NAME:HASH</c>, where HASH covers the template's files, the base image and the uid, so
/// an unchanged template is reused and a changed one gets a new image. Git templates are not served: a tenant must not
/// make the server clone URLs.
/// </summary>
public sealed partial class TemplateImages(ServerOptions options, ServerIdentity identity, ILogger<TemplateImages> logger)
{
    /// <summary>Every template image is a tag of a repository starting so (tenants reach them through <c>template</c> only).</summary>
    public const string Repository = "localhost/airlock-template-";

    /// <summary>The uid/gid of the template's sandbox user: tenants' sandboxes do not map a host user.</summary>
    public const int SandboxUid = 1000;

    private readonly TemplateCatalog _catalog = new(options.TemplatePaths);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _building = new(StringComparer.Ordinal);
    private int _builds;

    /// <summary>Builds started by this server (a reused image is not one).</summary>
    public int Builds => Volatile.Read(ref _builds);

    /// <summary>Why <paramref name="name"/> cannot be served, or null when it names a template here.</summary>
    public string? Problem(string name)
    {
        if (TemplateCatalog.IsGitSpec(name))
        {
            return $"'{Names.Shorten(name)}' is a git URL; the server builds only its own templates: {Available()}";
        }

        if (NameRules.TemplateProblem(name) is not null || !(Directory.Exists(_catalog.UserDir(name)) || BakedInTemplates.Exists(name)))
        {
            return $"no template named '{Names.Shorten(name)}'; available: {Available()}";
        }

        return null;
    }

    /// <summary>Forks <paramref name="name"/> (which <see cref="Problem"/> accepted) into a build dir and names its image.</summary>
    public async Task<ResolvedTemplate> ResolveAsync(string name, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("airlock-serve-template-");
        try
        {
            var metadata = await _catalog.ForkIntoAsync(name, dir.FullName, refresh: false, ct);
            HostCertificates.CopyInto(dir.FullName);
            var hash = TemplateContentHash.Of(dir.FullName, options.BaseImage, $"{SandboxUid}:{SandboxUid}");
            return new ResolvedTemplate(name, $"{Repository}{name.Replace('_', '-')}:{hash}", dir.FullName, metadata);
        }
        catch
        {
            dir.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Makes sure the template's image is on <paramref name="node"/>: reused when there, else built (one build per image and node at a time).</summary>
    public async Task EnsureImageAsync(ResolvedTemplate template, string node, ISandboxRuntime runtime, CancellationToken ct)
    {
        try
        {
            PlatformCheck.Ensure(template.Name, template.Metadata, runtime.Identity);
        }
        catch (TemplateRefusedException ex)
        {
            throw ApiException.BadRequest($"sandbox.template: {ex.Message}");
        }

        var gate = _building.GetOrAdd($"{node}\n{template.Image}", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (await runtime.TryInspectImageAsync(template.Image, ct) is not null)
            {
                return;
            }

            var owner = new SandboxOwner { Role = SandboxOwner.Roles.Server, Server = identity.Id, Node = node, Template = template.Name };
            LogBuilding(logger, template.Name, template.Image, node);
            Interlocked.Increment(ref _builds);
            try
            {
                await runtime.BuildImageAsync(
                    TemplateBuild.Options(template.BuildDir, template.Image, options.BaseImage, SandboxUid, SandboxUid, options.ExtraLabels), owner, progress: null, ct);
            }
            catch (ImageBuildFailedException ex)
            {
                var output = ex.StepOutput.Length > 2000 ? "..." + ex.StepOutput[^2000..] : ex.StepOutput;
                throw new ApiException(
                    422,
                    "template build failed",
                    $"sandbox.template: building template '{template.Name}' on node '{node}' failed at step '{ex.Step ?? "(unknown)"}': {ex.EngineMessage}; "
                    + $"fix the template (or the base image {options.BaseImage}) and create again. Step output: {output}");
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private string Available() => string.Join(", ", _catalog.List().Select(t => t.Name));

    [LoggerMessage(Level = LogLevel.Information, Message = "building template {Template} as {Image} on node {Node}")]
    private static partial void LogBuilding(ILogger logger, string template, string image, string node);
}
