using System.Diagnostics;
using System.Text;

namespace Airlock.Cli.Tests.Infrastructure;

/// <summary>The real, built <c>airlock</c> executable (src/Airlock.Cli's build output, same configuration as the tests).</summary>
public static class AirlockBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>Absolute path of the apphost <c>airlock</c>.</summary>
    public static string Path => Located.Value;

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Airlock.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Airlock.slnx above {AppContext.BaseDirectory}");
    }

    private static string Locate()
    {
        // The test assembly sits in tests/Airlock.Cli.Tests/bin/<Configuration>/<tfm>/.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent?.Name ?? "Debug";
        var path = System.IO.Path.Combine(RepoRoot, "src", "Airlock.Cli", "bin", configuration, tfmDir.Name, "airlock");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the airlock executable is not built at {path}; run dotnet build Airlock.slnx -c {configuration}", path);
        }

        return path;
    }

    /// <summary>
    /// Runs airlock with <paramref name="args"/> and waits (bounded) for it to exit. The environment is this process's
    /// with engine settings cleared, then <paramref name="env"/> applied (a null value removes a variable).
    /// </summary>
    public static async Task<AirlockResult> RunAsync(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? env = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Remove("AIRLOCK_ENGINE");
        psi.Environment.Remove("DOCKER_HOST");
        psi.Environment.Remove("AIRLOCK_BASE_IMAGE");
        psi.Environment.Remove("NO_COLOR");
        foreach (var (key, value) in env ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(key);
            }
            else
            {
                psi.Environment[key] = value;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start airlock");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"airlock {string.Join(' ', psi.ArgumentList)} did not exit within {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        return new AirlockResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<AirlockResult> RunAsync(params string[] args) => RunAsync(args, null);
}

public sealed record AirlockResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
