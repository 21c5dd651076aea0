using System.Diagnostics;

namespace Airlock.Launcher.Tests.Infrastructure;

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

    public string Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["-c", "user.name=Airlock Test", "-c", "user.email=test@airlock.invalid", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        // The machine's own git config (hooks, signing, templates) must not change what the fixture builds.
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr.Result}");
        }

        return stdout;
    }
}
