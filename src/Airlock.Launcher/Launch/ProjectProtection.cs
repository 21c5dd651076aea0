using Airlock.Sandboxes.Files;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Launch;

/// <summary>
/// The parts of a project that host tools run or take commands from without anyone running the project's code: git's
/// config and hooks, direnv's <c>.envrc</c>, VS Code's folder-open tasks, a dev container's host commands, pre-commit
/// and lefthook configs. The sandbox gets them read-only (unless a namespace's <c>writableProjectPaths</c> says
/// otherwise), and the directories they hang from cannot be renamed or replaced: <c>.git</c> is pinned by a mount of
/// its own. What no mount can stop (a file git reads that did not exist at launch) is checked for after the session.
/// See docs/security.md.
/// </summary>
public sealed class ProjectProtection
{
    /// <summary>Relative to the project; those under <c>.git/</c> apply when <c>.git</c> is a directory.</summary>
    public static readonly IReadOnlyList<string> DefaultPaths =
    [
        ".git/config", ".git/hooks", ".git/info", ".git/modules", ".git/worktrees", ".git", ".gitmodules",
        ".envrc", ".vscode", ".devcontainer", ".devcontainer.json", ".pre-commit-config.yaml",
        "lefthook.yml", ".lefthook.yml", "mise.toml", ".mise.toml",
    ];

    /// <summary>In <c>writableProjectPaths</c>, the directory git's <c>core.hooksPath</c> names when it is inside the project.</summary>
    public const string HooksPath = "hooksPath";

    /// <summary>What <c>writableProjectPaths</c> may name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. DefaultPaths, HooksPath];

    /// <summary>
    /// Written by git only in a linked worktree's own git dir; in a project's <c>.git</c> it makes git read config and
    /// hooks from wherever it points.
    /// </summary>
    private const string CommonDir = "commondir";

    private readonly string _project;
    private readonly bool _hadGitDir;
    private readonly bool _hadGit;

    private ProjectProtection(string project, bool hadGitDir, bool hadGit, IReadOnlyList<SandboxMount> mounts, IReadOnlyList<string> warnings)
    {
        _project = project;
        _hadGitDir = hadGitDir;
        _hadGit = hadGit;
        Mounts = mounts;
        Warnings = warnings;
    }

    /// <summary>To add after the project's own mount: the <c>.git</c> pin first, then the read-only paths.</summary>
    public IReadOnlyList<SandboxMount> Mounts { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <param name="project">The project, resolved.</param>
    /// <param name="writable">Entries of <see cref="Names"/> to leave writable, as a namespace's config names them.</param>
    public static ProjectProtection For(string project, IReadOnlyCollection<string> writable, string hostHome)
    {
        var mounts = new List<SandboxMount>();
        var warnings = new List<string>();
        var git = Path.Combine(project, ".git");
        var gitKind = Kind(git);
        if (gitKind == EntryKind.Directory)
        {
            if (Kind(Path.Combine(git, CommonDir)) != EntryKind.Missing)
            {
                throw new LauncherException(
                    $"{git}/{CommonDir} exists: git never writes it in a project's .git (only in a linked worktree's), and it makes git read its " +
                    $"config and hooks from the path it names, so git on this host would run what they say. A sandbox may have planted it: " +
                    $"look at it (cat {git}/{CommonDir}), remove it (rm {git}/{CommonDir}), then launch again");
            }

            // A mount of .git onto itself: a mount point cannot be renamed, removed or replaced, so the read-only
            // entries below stay where git looks for them.
            mounts.Add(new SandboxMount(git, git));
        }
        else if (gitKind == EntryKind.Link)
        {
            warnings.Add($"{git} is a symbolic link, which no mount can make read-only: the sandbox can replace it, and with it what git on this host runs");
        }

        var paths = DefaultPaths.Where(p => p != ".git" || gitKind == EntryKind.File).ToList();
        if (gitKind == EntryKind.Directory && !writable.Contains(HooksPath) && HooksDir(project, git, hostHome) is { } hooks && !paths.Contains(hooks))
        {
            paths.Add(hooks);
        }

        foreach (var relative in paths)
        {
            if (writable.Contains(relative) || (relative.StartsWith(".git/", StringComparison.Ordinal) && gitKind != EntryKind.Directory))
            {
                continue;
            }

            var full = Path.Combine(project, relative);
            switch (KindBelow(project, relative))
            {
                case EntryKind.Missing:
                    break;
                case EntryKind.Link:
                    warnings.Add($"{full} is (or lies under) a symbolic link, which no mount can make read-only without exposing its target: the sandbox can change it");
                    break;
                default:
                    mounts.Add(new SandboxMount(full, full, ReadOnly: true));
                    break;
            }
        }

        return new ProjectProtection(project, gitKind == EntryKind.Directory, gitKind != EntryKind.Missing, mounts, warnings);
    }

    /// <summary>
    /// What the sandbox left that would make git on this host run its commands and no mount could stop: a planted
    /// <c>.git/commondir</c> is moved aside, and a git repository made in the session is reported with the commands its
    /// config and hooks would run. Call it once the sandbox is gone.
    /// </summary>
    public IReadOnlyList<string> AfterSession()
    {
        var notices = new List<string>();
        var git = Path.Combine(_project, ".git");
        var planted = Path.Combine(git, CommonDir);
        if (_hadGitDir && Kind(git) == EntryKind.Directory && Kind(planted) != EntryKind.Missing)
        {
            var aside = $"{planted}.airlock-removed-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";
            File.Move(planted, aside);
            notices.Add($"the sandbox created {planted}, which would make git on this host read config and hooks from where it points and run what they say; moved it to {aside}. Check what else the session changed before running git here");
        }

        if (!_hadGit && Kind(git) != EntryKind.Missing)
        {
            var commands = Kind(git) == EntryKind.Directory ? CommandsIn(git) : [$".git is a {Kind(git).ToString().ToLowerInvariant()} pointing elsewhere"];
            if (commands.Count > 0)
            {
                notices.Add($"the sandbox created a git repository in {_project} whose config or hooks make git on this host run commands ({string.Join("; ", commands)}): read them (git config --local --list; ls .git/hooks) before running git there");
            }
        }

        return notices;
    }

    /// <summary>The keys of a git config that name a command git runs by itself, and the hooks that are not samples.</summary>
    private static List<string> CommandsIn(string git)
    {
        var found = new List<string>();
        if (ReadConfig(git) is { } config)
        {
            foreach (var entry in config.Entries)
            {
                var name = entry.Subsection.Length == 0 ? $"{entry.Section}.{entry.Key}" : $"{entry.Section}.{entry.Subsection}.{entry.Key}";
                if (RunsCommand(entry))
                {
                    found.Add(name);
                }
            }
        }

        var hooks = Path.Combine(git, "hooks");
        if (Kind(hooks) == EntryKind.Directory)
        {
            found.AddRange(Directory.EnumerateFiles(hooks).Select(Path.GetFileName).Where(n => n is not null && !n.EndsWith(".sample", StringComparison.Ordinal)).Select(n => $"hook {n}")!);
        }

        return found;
    }

    private static bool RunsCommand(GitConfigEntry e) => (e.Section, e.Key) switch
    {
        ("core", "fsmonitor" or "hookspath" or "sshcommand" or "pager" or "editor" or "askpass" or "gitproxy") => true,
        ("diff", "external") or ("sequence", "editor") or ("gpg", "program") or ("credential", "helper") => true,
        ("filter", "clean" or "smudge" or "process") or ("diff", "textconv" or "command") or ("merge", "driver") => true,
        ("include" or "includeif", "path") or ("pager", _) or ("uploadpack", "packobjectshook") => true,
        ("alias", _) => e.Value?.TrimStart().StartsWith('!') == true,
        _ => false,
    };

    /// <summary>core.hooksPath, relative to the project, when it points inside it (husky's <c>.husky/_</c> is <c>.husky</c>, whose hooks it runs).</summary>
    private static string? HooksDir(string project, string git, string hostHome)
    {
        if (ReadConfig(git)?.Get("core", "hookspath") is not { Length: > 0 } value)
        {
            return null;
        }

        var expanded = value == "~" ? hostHome : value.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(hostHome, value[2..]) : value;
        var full = Path.GetFullPath(expanded, project);
        if (!AbsolutePath.IsAtOrBelow(full, project) || full == project)
        {
            return null;
        }

        var relative = Path.GetRelativePath(project, full);
        return Path.GetFileName(relative) == "_" && Path.GetDirectoryName(relative) is { Length: > 0 } parent ? parent : relative;
    }

    /// <summary>
    /// <c>.git/config</c> when it is a plain file of a size git config files have; a sandbox could have made it a link
    /// to a host file or gigabytes large.
    /// </summary>
    private static GitConfigFile? ReadConfig(string git)
    {
        var config = new FileInfo(Path.Combine(git, "config"));
        return Kind(config.FullName) == EntryKind.File && config.Length <= MaxConfigBytes ? GitConfigFile.Parse(File.ReadAllText(config.FullName)) : null;
    }

    private const long MaxConfigBytes = 1024 * 1024;

    private enum EntryKind
    {
        Missing,
        File,
        Directory,
        Link,
    }

    private static EntryKind Kind(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null ? EntryKind.Link
            : (info.Attributes & FileAttributes.Directory) != 0 && Directory.Exists(path) ? EntryKind.Directory
            : info.Exists ? EntryKind.File
            : EntryKind.Missing;
    }

    /// <summary>The kind of <paramref name="relative"/> below <paramref name="root"/>, or <see cref="EntryKind.Link"/> when it or any dir on the way is one.</summary>
    private static EntryKind KindBelow(string root, string relative)
    {
        var path = root;
        var kind = EntryKind.Directory;
        foreach (var part in relative.Split('/'))
        {
            path = Path.Combine(path, part);
            kind = Kind(path);
            if (kind is EntryKind.Link or EntryKind.Missing)
            {
                return kind;
            }
        }

        return kind;
    }
}
