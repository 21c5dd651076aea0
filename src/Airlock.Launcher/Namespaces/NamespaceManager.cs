using System.Globalization;
using Airlock.Engine.Images;
using Airlock.Launcher.Config;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Locking;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Network;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Templates;

namespace Airlock.Launcher.Namespaces;

/// <summary>
/// Creates, rebuilds, resets and deletes namespaces. A namespace is four things kept together: a home dir, a build dir,
/// an image and a config entry. Every operation either completes or leaves the previous state as it was.
/// <paramref name="baseImageOverride"/> (AIRLOCK_BASE_IMAGE) wins over config.yaml's baseImage. Operations that change a
/// namespace hold its <see cref="NamespaceLock"/>, so two airlock processes never work on one namespace at once.
/// </summary>
public sealed class NamespaceManager(AirlockPaths paths, ISandboxRuntime runtime, HostUser user, TimeProvider time, string? baseImageOverride = null)
{
    private readonly TemplateCatalog _templates = new(paths);

    /// <summary>This user's and state directory's part of every namespace image name (<see cref="NamespaceImage"/>).</summary>
    public string OwnerId { get; } = NamespaceImage.OwnerId(user.Uid, paths);

    public AirlockConfig LoadConfig() => ConfigLoader.Load(paths.ConfigFile);

    /// <summary>What templates (and the network guard's image) are built from: AIRLOCK_BASE_IMAGE, else config.yaml's baseImage.</summary>
    public string BaseImage => baseImageOverride ?? LoadConfig().BaseImage;

    public string StateFile(string name) => Path.Combine(paths.StateDir, name + ".json");

    public NamespaceConfig Get(string name) =>
        LoadConfig().Namespaces.TryGetValue(name, out var ns)
            ? ns
            : throw new LauncherException($"no namespace named '{name}'. Create it with: airlock create namespace {name}  (or launch with: airlock {name} --create)");

    public async Task<IReadOnlyList<NamespaceStatus>> ListAsync(CancellationToken ct)
    {
        var list = new List<NamespaceStatus>();
        foreach (var (name, ns) in LoadConfig().Namespaces)
        {
            list.Add(new NamespaceStatus(name, ns, await runtime.TryInspectImageAsync(ns.Image, ct) is not null, Directory.Exists(paths.NamespaceHome(name))));
        }

        return list;
    }

    /// <summary>
    /// The entry creating <paramref name="name"/> from <paramref name="template"/> would register, with the name and the
    /// template checked but nothing made: what <c>--dry-run --create</c> shows, and where <see cref="CreateAsync"/> starts.
    /// A git template's <c>defaults.network</c> wider than allowlist with nothing listed is withheld unless
    /// <paramref name="trustTemplateNetwork"/> (the plan says what was); baked-in and the user's own templates are trusted.
    /// </summary>
    public async Task<NamespacePlan> PlanCreateAsync(string name, string? template, CancellationToken ct, bool trustTemplateNetwork = false)
    {
        if (NameRules.NamespaceProblem(name) is { } problem)
        {
            throw new LauncherException($"cannot create namespace: {problem}");
        }

        if (LoadConfig().Namespaces.ContainsKey(name))
        {
            throw new LauncherException($"namespace '{name}' already exists. Rebuild it with: airlock rebuild namespace {name}, or delete it first");
        }

        template ??= "default";
        var metadata = await _templates.ReadMetadataAsync(template, ct);
        PlatformCheck.Ensure(template, metadata, runtime.Identity);
        var withheld = WithheldNetwork.Of(template, metadata.DefaultNetwork, trustTemplateNetwork);
        var network = withheld is null ? metadata.DefaultNetwork : null;
        var entry = new NamespaceConfig
        {
            Image = NamespaceImage.For(name, OwnerId),
            BuildDir = paths.Contract(paths.DefaultBuildDir(name)) + "/",
            Template = template,
            Display = metadata.DefaultDisplay,
            Command = metadata.DefaultCommand,
            // Only ever stronger than the default (container), so a template of any origin may set it.
            Isolation = metadata.DefaultIsolation,
            // New namespaces reach only what is listed: the template's list (when it may give one), else nothing (docs/network.md).
            Network = network?.Mode ?? NetworkModes.Allowlist,
            NetworkAllow = network?.Allow ?? [],
        };
        return new NamespacePlan(entry, withheld);
    }

    /// <summary>
    /// Forks the template into the build dir, builds the image, seeds the home and registers the namespace. When another
    /// airlock process is working on the same namespace this one waits for it first; if that one created it,
    /// <paramref name="ifMissing"/> (a launch that bootstraps) takes the namespace as it is, and a plain create is refused.
    /// </summary>
    public async Task<NamespacePlan> CreateAsync(
        string name, string? template, IProgress<NamespaceProgress>? progress, CancellationToken ct, bool ifMissing = false, bool trustTemplateNetwork = false)
    {
        if (NameRules.NamespaceProblem(name) is { } problem)
        {
            throw new LauncherException($"cannot create namespace: {problem}");
        }

        using var held = await LockAsync(name, progress, ct);
        if (LoadConfig().Namespaces.TryGetValue(name, out var existing))
        {
            if (ifMissing)
            {
                progress?.Report(new NamespaceProgress($"created meanwhile by {held.WaitedFor ?? "another airlock process"}"));
                return new NamespacePlan(existing, null);
            }

            if (held.WaitedFor is { } other)
            {
                throw new LauncherException($"namespace '{name}' already exists: {other} created it while this one waited. Enter it with: airlock {name}");
            }
        }

        var plan = await PlanCreateAsync(name, template, ct, trustTemplateNetwork);
        var entry = plan.Entry;
        template = entry.Template!;
        var buildDir = paths.DefaultBuildDir(name);
        var home = paths.NamespaceHome(name);
        RecoverInterruptedCreate(buildDir, home);
        if (Directory.Exists(buildDir) || Directory.Exists(home))
        {
            throw new LauncherException(
                $"namespace '{name}' is not in {paths.Contract(paths.ConfigFile)}, but {(Directory.Exists(buildDir) ? paths.Contract(buildDir) : paths.Contract(home))} exists. " +
                "Move it away or delete it, then try again (Airlock will not overwrite files it does not know about)");
        }

        var image = entry.Image;
        var imageExisted = await runtime.TryInspectImageAsync(image, ct) is not null;
        try
        {
            progress?.Report(new NamespaceProgress($"forking template '{template}'"));
            Directory.CreateDirectory(buildDir);
            File.WriteAllText(Path.Combine(buildDir, CreatingMarker), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            await _templates.ForkIntoAsync(template, buildDir, refresh: false, ct);
            await BuildAsync(name, entry, buildDir, noCache: false, progress, ct);
            progress?.Report(new NamespaceProgress("seeding home"));
            await SeedHomeAsync(name, image, ct);
            ConfigWriter.Save(LoadConfig().WithNamespace(name, entry), paths.ConfigFile);
            File.Delete(Path.Combine(buildDir, CreatingMarker));
            return plan;
        }
        catch
        {
            // Leave nothing half-made: no build dir, no home, no state, and no image unless one was already there.
            TryDeleteDirectory(buildDir);
            TryDeleteDirectory(home);
            TryDeleteFile(StateFile(name));
            if (!imageExisted)
            {
                await runtime.RemoveImageAsync(image, force: true, CancellationToken.None);
            }

            throw;
        }
    }

    /// <summary>
    /// Rebuilds the image. A failing build leaves the previous image (and build dir) in place and usable. A namespace whose
    /// image still has the <see cref="NamespaceImage.Legacy"/> name every user shares is built under its own name, which
    /// config.yaml then records; the legacy image is left (it may be another user's) and its name returned.
    /// </summary>
    public async Task<string?> RebuildAsync(string name, RebuildOptions options, IProgress<NamespaceProgress>? progress, CancellationToken ct)
    {
        Get(name);
        using var held = await LockAsync(name, progress, ct);
        var recorded = Get(name);
        var legacy = NamespaceImage.IsLegacy(recorded.Image, name) ? recorded.Image : null;
        var entry = legacy is null ? recorded : recorded with { Image = NamespaceImage.For(name, OwnerId) };
        var buildDir = paths.Expand(entry.BuildDir);
        var template = options.Template ?? entry.Template;
        if (options.RefreshTemplate || options.Template is not null)
        {
            if (template is null)
            {
                throw new LauncherException($"namespace '{name}' records no template to refresh from; pass --template NAME");
            }

            var metadata = await _templates.ReadMetadataAsync(template, ct);
            PlatformCheck.Ensure(template, metadata, runtime.Identity);
            var fresh = buildDir.TrimEnd('/') + ".new";
            TryDeleteDirectory(fresh);
            try
            {
                progress?.Report(new NamespaceProgress($"re-forking template '{template}'"));
                await _templates.ForkIntoAsync(template, fresh, refresh: true, ct);
                await BuildAsync(name, entry, fresh, options.NoCache, progress, ct);
            }
            catch
            {
                TryDeleteDirectory(fresh);
                throw;
            }

            // Only a successful build replaces the old build dir.
            var old = buildDir.TrimEnd('/') + ".old";
            TryDeleteDirectory(old);
            if (Directory.Exists(buildDir))
            {
                Directory.Move(buildDir, old);
            }

            Directory.Move(fresh, buildDir);
            TryDeleteDirectory(old);
            ConfigWriter.Save(LoadConfig().WithNamespace(name, entry with { Template = template }), paths.ConfigFile);
            return legacy;
        }

        if (!Directory.Exists(buildDir))
        {
            throw new LauncherException($"the build dir of namespace '{name}' ({entry.BuildDir}) is missing; rebuild with --refresh-template to re-create it");
        }

        // Shared helper files are Airlock's, not the user's: refresh them so fixes reach old namespaces.
        RefreshSharedFiles(buildDir);
        await BuildAsync(name, entry, buildDir, options.NoCache, progress, ct);
        if (legacy is not null)
        {
            ConfigWriter.Save(LoadConfig().WithNamespace(name, entry), paths.ConfigFile);
        }

        return legacy;
    }

    /// <summary>Wipes the namespace's home and re-seeds it from the image.</summary>
    public async Task ResetAsync(string name, IProgress<NamespaceProgress>? progress, CancellationToken ct)
    {
        Get(name);
        using var held = await LockAsync(name, progress, ct);
        var entry = Get(name);
        if (await runtime.TryInspectImageAsync(entry.Image, ct) is null)
        {
            throw new LauncherException($"the image {entry.Image} of namespace '{name}' is missing; run: airlock rebuild namespace {name}");
        }

        var home = paths.NamespaceHome(name);
        var staging = home + ".reset";
        TryDeleteDirectory(staging);
        progress?.Report(new NamespaceProgress("seeding home"));
        await HomeSeeder.SeedAsync(runtime, entry.Image, staging, ct);
        TryDeleteDirectory(home);
        Directory.Move(staging, home);
        await RecordSeedAsync(name, entry.Image, ct);
    }

    /// <summary>
    /// Removes home, image, config entry, and the build dir when it is in Airlock's default place. Of the images labelled
    /// with the namespace's name only this owner's go: another user's namespace of the same name is not this one.
    /// </summary>
    public async Task DeleteAsync(string name, CancellationToken ct)
    {
        Get(name);
        using var held = await LockAsync(name, null, ct);
        var entry = Get(name);
        await runtime.RemoveImageAsync(entry.Image, force: true, ct);

        // Earlier builds' unnamed images and podman's per-step images carry the namespace's owner too.
        foreach (var image in await runtime.ListImagesAsync(new SandboxOwner { Namespace = name, NamespaceOwner = OwnerId }, ct))
        {
            try
            {
                await runtime.RemoveImageAsync(image.Id, force: true, ct);
            }
            catch (Engine.Errors.EngineException)
            {
                // Already gone with its child, or in use by a running session: nothing more to do here.
            }
        }

        TryDeleteDirectory(paths.NamespaceHome(name));
        var buildDir = paths.Expand(entry.BuildDir).TrimEnd('/');
        if (buildDir == paths.DefaultBuildDir(name))
        {
            TryDeleteDirectory(buildDir);
        }

        TryDeleteFile(StateFile(name));
        ConfigWriter.Save(LoadConfig().WithoutNamespace(name), paths.ConfigFile);
    }

    /// <summary>True when the image's skeleton dotfiles differ from those the home was seeded from.</summary>
    public async Task<bool> HasSkeletonDriftAsync(string name, NamespaceConfig entry, CancellationToken ct)
    {
        var seeded = NamespaceState.Load(StateFile(name)).SeededSkeletonHash;
        if (seeded is null)
        {
            return false;
        }

        var image = await runtime.TryInspectImageAsync(entry.Image, ct);
        return image?.Owner.SkeletonHash is { } current && current != seeded;
    }

    /// <summary>Marks a build dir whose namespace is still being created, with the creating process's id.</summary>
    private const string CreatingMarker = ".airlock-creating";

    /// <summary>
    /// A create killed outright (SIGKILL, power loss) cannot clean up after itself. Its marker names a process that is
    /// gone, so what it left (build dir, home) is provably Airlock's and is removed before trying again.
    /// </summary>
    private static void RecoverInterruptedCreate(string buildDir, string home)
    {
        var marker = Path.Combine(buildDir, CreatingMarker);
        if (!File.Exists(marker))
        {
            return;
        }

        if (int.TryParse(File.ReadAllText(marker).Trim(), CultureInfo.InvariantCulture, out var pid) && IsAlive(pid))
        {
            throw new LauncherException($"another airlock process (pid {pid}) is creating this namespace right now; wait for it to finish");
        }

        TryDeleteDirectory(buildDir);
        TryDeleteDirectory(home);
    }

    /// <summary>Takes the namespace's lock; <paramref name="name"/> is valid already (checked, or found in config.yaml, which allows only valid names).</summary>
    private async Task<NamespaceLock> LockAsync(string name, IProgress<NamespaceProgress>? progress, CancellationToken ct)
    {
        return await NamespaceLock.AcquireAsync(
            paths.LocksDir,
            name,
            holder => progress?.Report(new NamespaceProgress($"waiting for {holder}, which is working on namespace '{name}'")),
            time,
            ct);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task BuildAsync(string name, NamespaceConfig entry, string buildDir, bool noCache, IProgress<NamespaceProgress>? progress, CancellationToken ct)
    {
        var mapping = UserMapping.For(user, runtime.Identity);
        HostCertificates.CopyInto(buildDir);
        var owner = new SandboxOwner
        {
            Role = SandboxOwner.Roles.Launcher,
            Namespace = name,
            NamespaceOwner = OwnerId,
            SkeletonHash = SkeletonHash.Of(buildDir),
        };
        var options = TemplateBuild.Options(buildDir, entry.Image, BaseImage, mapping.ImageUid, mapping.ImageGid, new Dictionary<string, string>(), noCache);
        progress?.Report(new NamespaceProgress($"building {entry.Image}"));
        var buildProgress = progress is null ? null : new SynchronousProgress<BuildProgress>(b => progress.Report(new NamespaceProgress($"building {entry.Image}", b)));
        var previous = (await runtime.TryInspectImageAsync(entry.Image, ct))?.Id;
        await runtime.BuildImageAsync(options, owner, buildProgress, ct);
        // Every launch's network guard runs this image: made now (once per engine), not on the first launch.
        await GuardImage.EnsureAsync(runtime, BaseImage, () => progress?.Report(new NamespaceProgress("building the network guard image")), ct);
        if (previous is not null && (await runtime.TryInspectImageAsync(entry.Image, ct))?.Id != previous)
        {
            await RemoveReplacedImageAsync(previous);
        }
    }

    /// <summary>
    /// The image a rebuild replaced has lost its tag: left alone, every rebuild would leave a dangling image of the
    /// namespace's full size behind. One a running session still uses stays (the engine refuses), as it must.
    /// </summary>
    private async Task RemoveReplacedImageAsync(string id)
    {
        try
        {
            await runtime.RemoveImageAsync(id, force: false, CancellationToken.None);
        }
        catch (Airlock.Engine.Errors.EngineException)
        {
            // In use by a container, or a parent of another image: not ours alone to remove.
        }
    }

    private async Task SeedHomeAsync(string name, string image, CancellationToken ct)
    {
        await HomeSeeder.SeedAsync(runtime, image, paths.NamespaceHome(name), ct);
        await RecordSeedAsync(name, image, ct);
    }

    private async Task RecordSeedAsync(string name, string image, CancellationToken ct)
    {
        var details = await runtime.TryInspectImageAsync(image, ct)
            ?? throw new LauncherException($"the image {image} of namespace '{name}' is missing; run: airlock rebuild namespace {name}");
        new NamespaceState(details.Owner.SkeletonHash, time.GetUtcNow()).Save(StateFile(name));
    }

    private static void RefreshSharedFiles(string buildDir)
    {
        var temp = Directory.CreateTempSubdirectory("airlock-shared-");
        try
        {
            BakedInTemplates.Extract(BakedInTemplates.SharedName, temp.FullName);
            foreach (var file in Directory.EnumerateFiles(temp.FullName, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(temp.FullName, file);
                if (relative.StartsWith("skeleton", StringComparison.Ordinal))
                {
                    continue; // dotfiles are the user's to edit in their build dir
                }

                var target = Path.Combine(buildDir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>Homes and build dirs hold what a sandbox made: deleted without ever following a link out of them.</summary>
    private static void TryDeleteDirectory(string dir) => ConfinedDirectory.DeleteTree(dir);

    private static void TryDeleteFile(string file)
    {
        if (File.Exists(file))
        {
            File.Delete(file);
        }
    }
}
