using System.Diagnostics;
using Airlock.Engine;
using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Paths;

namespace Airlock.Sandboxes.Templates;

/// <summary>
/// Finds templates: user templates in ~/.airlock/templates shadow baked-in ones of the same name; a git URL with an
/// optional <c>#REF</c> is cloned once into ~/.airlock/template-cache and fetched again when refreshed.
/// </summary>
public sealed class TemplateCatalog(AirlockPaths paths)
{
    public static bool IsGitSpec(string spec) =>
        spec.StartsWith("https://", StringComparison.Ordinal) || spec.StartsWith("http://", StringComparison.Ordinal)
        || spec.StartsWith("git@", StringComparison.Ordinal) || spec.StartsWith("ssh://", StringComparison.Ordinal)
        || spec.StartsWith("file://", StringComparison.Ordinal) || spec.Split('#')[0].EndsWith(".git", StringComparison.Ordinal);

    public IReadOnlyList<TemplateInfo> List()
    {
        var user = Directory.Exists(paths.TemplatesDir)
            ? Directory.GetDirectories(paths.TemplatesDir).Select(Path.GetFileName).OfType<string>().Where(n => NameRules.TemplateProblem(n) is null).ToHashSet()
            : [];
        var all = new List<TemplateInfo>();
        foreach (var name in user.Order(StringComparer.Ordinal))
        {
            all.Add(new TemplateInfo(name, TemplateKind.User, SafeDescription(UserDir(name)), BakedInTemplates.Exists(name)));
        }

        foreach (var name in BakedInTemplates.Names.Where(n => !user.Contains(n)))
        {
            all.Add(new TemplateInfo(name, TemplateKind.BakedIn, BakedInDescription(name), false));
        }

        return all.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public string UserDir(string name) => Path.Combine(paths.TemplatesDir, name);

    /// <summary>
    /// Copies the template's files into <paramref name="target"/> (which must be empty or absent): the shared files first,
    /// then the template's own. Returns the template's metadata.
    /// </summary>
    public async Task<TemplateMetadata> ForkIntoAsync(string spec, string target, bool refresh, CancellationToken ct)
    {
        var source = await ResolveDirectoryAsync(spec, refresh, ct);
        Directory.CreateDirectory(target);
        BakedInTemplates.Extract(BakedInTemplates.SharedName, target);
        if (source is null)
        {
            BakedInTemplates.Extract(spec, target);
        }
        else
        {
            CopyDirectory(spec, source, target);
        }

        return TemplateMetadataParser.Load(target);
    }

    /// <summary>
    /// Forks <paramref name="spec"/> into <paramref name="target"/> as a template of the user's own. The user's own
    /// templates are trusted, so a git template's wider <c>defaults.network</c> is left out of the copy unless
    /// <paramref name="trustNetwork"/>; returns what was left out.
    /// </summary>
    public async Task<WithheldNetwork?> ForkIntoUserTemplateAsync(string spec, string target, bool trustNetwork, CancellationToken ct)
    {
        var metadata = await ForkIntoAsync(spec, target, refresh: false, ct);
        var withheld = WithheldNetwork.Of(spec, metadata.DefaultNetwork, trustNetwork);
        if (withheld is not null)
        {
            TemplateYamlNetwork.Remove(target, withheld);
        }

        return withheld;
    }

    /// <summary>The template's metadata without forking it (for platform checks before anything is created).</summary>
    public async Task<TemplateMetadata> ReadMetadataAsync(string spec, CancellationToken ct)
    {
        var source = await ResolveDirectoryAsync(spec, refresh: false, ct);
        if (source is not null)
        {
            return TemplateMetadataParser.Load(source);
        }

        var temp = Directory.CreateTempSubdirectory("airlock-template-");
        try
        {
            BakedInTemplates.Extract(spec, temp.FullName);
            return TemplateMetadataParser.Load(temp.FullName);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>A directory holding the template, or null for a baked-in one (read from the assembly).</summary>
    private async Task<string?> ResolveDirectoryAsync(string spec, bool refresh, CancellationToken ct)
    {
        if (IsGitSpec(spec))
        {
            return await FetchGitAsync(spec, refresh, ct);
        }

        if (NameRules.TemplateProblem(spec) is { } problem)
        {
            throw new TemplateNotFoundException($"template '{spec}': {problem}. Use a template name (airlock list templates) or a git URL[#REF]");
        }

        if (Directory.Exists(UserDir(spec)))
        {
            return UserDir(spec);
        }

        if (BakedInTemplates.Exists(spec))
        {
            return null;
        }

        throw new TemplateNotFoundException(
            $"no template named '{spec}'. Available: {string.Join(", ", List().Select(t => t.Name))}. Make one with: airlock create template {spec}");
    }

    private async Task<string> FetchGitAsync(string spec, bool refresh, CancellationToken ct)
    {
        var hash = ContentHash.Short(spec.Split('#')[0]);
        var dir = Path.Combine(paths.TemplateCacheDir, hash);
        var (url, reference) = spec.Split('#', 2) is [var u, var r] ? (u, r) : (spec, null);
        if (reference is not null && (reference.Length == 0 || reference.StartsWith('-')))
        {
            // git would read it as an option of checkout, not as a ref.
            throw new TemplateNotFoundException($"template '{spec}': '{reference}' is not a branch, tag or commit");
        }

        if (!Directory.Exists(Path.Combine(dir, ".git")))
        {
            var temp = dir + ".tmp";
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            Directory.CreateDirectory(paths.TemplateCacheDir);
            // "--" so that a URL can never be read as an option of clone.
            await GitAsync(null, ct, "clone", "--quiet", "--", url, temp);
            Directory.Move(temp, dir);
        }
        else if (refresh)
        {
            await GitAsync(dir, ct, "fetch", "--quiet", "--tags", "origin");
        }

        // A clone has a local branch only for the origin's default one, and fetch never moves it: a branch REF is
        // checked out as origin/REF, so any branch works and a refresh gets its new commits. Tags and commits as they are.
        var target = reference is null ? "origin/HEAD"
            : await GitRunAsync(dir, ct, "rev-parse", "--verify", "--quiet", $"refs/remotes/origin/{reference}") is (0, _) ? $"origin/{reference}"
            : reference;
        await GitAsync(dir, ct, "checkout", "--quiet", "--detach", target);
        return dir;
    }

    private static async Task GitAsync(string? workDir, CancellationToken ct, params string[] args)
    {
        var (exitCode, stderr) = await GitRunAsync(workDir, ct, args);
        if (exitCode != 0)
        {
            throw new TemplateNotFoundException($"git {string.Join(' ', args.Where(a => a is not ("--quiet" or "--")))} failed: {stderr.Trim()}");
        }
    }

    private static async Task<(int ExitCode, string Stderr)> GitRunAsync(string? workDir, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (workDir is not null)
        {
            psi.WorkingDirectory = workDir;
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new TemplateNotFoundException("git templates need git: install it (sudo apt-get install git)");
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return (process.ExitCode, await stderr);
        }
    }

    /// <summary>
    /// Copies a template dir as it is: links stay links (never read through), and a link that points outside the template
    /// is refused, since the copy goes into an image and a namespace home (a git template's <c>leak -> ~/.ssh/id_ed25519</c>
    /// would otherwise carry a host file into both). Only plain files, directories and links are copied.
    /// </summary>
    private static void CopyDirectory(string spec, string source, string target)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(source));
        var entries = FileTree.Walk(root, relative => relative == ".git").ToList();
        foreach (var entry in entries)
        {
            CheckEntry(spec, root, entry);
        }

        foreach (var entry in entries)
        {
            var destination = Path.Combine(target, entry.RelativePath);
            switch (entry.Kind)
            {
                case EntryKind.Directory:
                    Directory.CreateDirectory(destination);
                    break;
                case EntryKind.File:
                    File.Copy(entry.FullPath, destination, overwrite: true);
                    break;
                case EntryKind.Link:
                    if (FileTree.KindOf(destination) is EntryKind.File or EntryKind.Link)
                    {
                        File.Delete(destination);
                    }

                    File.CreateSymbolicLink(destination, entry.LinkTarget!);
                    break;
            }
        }
    }

    /// <summary>Every problem is found before anything is copied, so a refused template leaves nothing behind.</summary>
    private static void CheckEntry(string spec, string root, FileTreeEntry entry)
    {
        switch (entry.Kind)
        {
            case EntryKind.Link:
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(entry.FullPath)!, entry.LinkTarget!));
                if (Path.IsPathRooted(entry.LinkTarget!) || !(resolved + "/").StartsWith(root + "/", StringComparison.Ordinal))
                {
                    throw new TemplateRefusedException(
                        $"template '{spec}': {entry.RelativePath} is a symbolic link to {entry.LinkTarget}, which is outside the template; " +
                        "a template may link only to its own files (with a relative link). Replace the link with the file it stands for, or remove it");
                }

                break;
            case EntryKind.Other:
                throw new TemplateRefusedException(
                    $"template '{spec}': {entry.RelativePath} is a FIFO, socket or device; a template holds only files, directories and links. Remove it");
        }
    }

    private static string? SafeDescription(string dir)
    {
        try
        {
            return TemplateMetadataParser.Load(dir).Description;
        }
        catch (Validation.ValidationException)
        {
            return "(template.yaml has errors)";
        }
    }

    private static string? BakedInDescription(string name)
    {
        var temp = Directory.CreateTempSubdirectory("airlock-template-");
        try
        {
            BakedInTemplates.Extract(name, temp.FullName);
            return SafeDescription(temp.FullName);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
