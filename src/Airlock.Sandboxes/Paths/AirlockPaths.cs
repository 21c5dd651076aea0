namespace Airlock.Sandboxes.Paths;

/// <summary>
/// Where Airlock keeps its state: <c>~/.airlock</c>, or <c>AIRLOCK_HOME</c>. Namespaces' homes live under
/// <c>namespaces/</c>, their build dirs under <c>containers/</c>, user templates under <c>templates/</c>.
/// </summary>
public sealed record AirlockPaths(string Root, string UserHome)
{
    public const string HomeVariable = "AIRLOCK_HOME";

    public string ConfigFile => Path.Combine(Root, "config.yaml");
    public string NamespacesDir => Path.Combine(Root, "namespaces");
    public string ContainersDir => Path.Combine(Root, "containers");
    public string TemplatesDir => Path.Combine(Root, "templates");
    public string TemplateCacheDir => Path.Combine(Root, "template-cache");
    public string LocksDir => Path.Combine(Root, "locks");
    public string StateDir => Path.Combine(Root, "state");

    /// <summary>podman's copies of the sandboxes' seccomp profiles (it reads them only from files); no sandbox can reach them.</summary>
    public string SeccompDir => Path.Combine(StateDir, "seccomp");

    /// <summary>
    /// Copies of the host's ~/.gitconfig without credentials, one file per content (named by its hash), so launches with
    /// different homes never mount each other's.
    /// </summary>
    public string HostGitConfigDir => Path.Combine(StateDir, "gitconfig");

    public string NamespaceHome(string name) => Path.Combine(NamespacesDir, name);

    public string DefaultBuildDir(string name) => Path.Combine(ContainersDir, name);

    public static AirlockPaths FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var home = getVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = getVariable(HomeVariable) is { Length: > 0 } r ? Path.GetFullPath(ExpandHome(r, home)) : Path.Combine(home, ".airlock");
        return new AirlockPaths(root, home);
    }

    /// <summary>Expands a leading <c>~</c> to the user's home on the host.</summary>
    public string Expand(string path) => Path.GetFullPath(ExpandHome(path, UserHome));

    /// <summary>Writes <c>path</c> with <c>~</c> for the user's home, for files people read.</summary>
    public string Contract(string path) =>
        path == UserHome ? "~" : path.StartsWith(UserHome + "/", StringComparison.Ordinal) ? "~" + path[UserHome.Length..] : path;

    private static string ExpandHome(string path, string home) =>
        path == "~" ? home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;
}
