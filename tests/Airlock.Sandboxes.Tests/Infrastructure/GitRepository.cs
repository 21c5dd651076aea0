namespace Airlock.Sandboxes.Tests.Infrastructure;

/// <summary>A local git repository to serve as a template origin (<c>file:///…/repo.git</c>), with a fixed identity and no signing.</summary>
public sealed class GitRepository
{
    public GitRepository(string path)
    {
        Path = path;
        Directory.CreateDirectory(path);
        Git("init", "--quiet", "--initial-branch=main");
    }

    public string Path { get; }

    public string Url => "file://" + Path;

    public GitRepository Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public GitRepository Commit(string message)
    {
        Git("add", "--all");
        Git("commit", "--quiet", "-m", message);
        return this;
    }

    public GitRepository Tag(string name)
    {
        Git("tag", name);
        return this;
    }

    public GitRepository Checkout(string branch, bool create = false)
    {
        Git(create ? ["checkout", "--quiet", "-b", branch] : ["checkout", "--quiet", branch]);
        return this;
    }

    public string Git(params string[] args) => global::Airlock.Tests.Support.Git.Run(Path, args).Stdout;
}
