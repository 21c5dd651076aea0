namespace Airlock.Tests.Support;

/// <summary>
/// git for test fixtures: a fixed identity, no signing, and none of the machine's git config (its hooks, signing or
/// templates must not change what a fixture builds).
/// </summary>
public static class Git
{
    private static readonly string[] Settings =
        ["-c", "user.name=Airlock Test", "-c", "user.email=test@airlock.invalid", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "init.defaultBranch=main"];

    private static readonly Dictionary<string, string?> NoMachineConfig = new(StringComparer.Ordinal)
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    /// <summary>Runs git in <paramref name="dir"/> and fails with its output unless it succeeds.</summary>
    public static async Task<ProcessResult> RunAsync(string dir, params string[] args) =>
        (await ProcessRunner.RunAsync("git", [.. Settings, .. args], NoMachineConfig, dir).ConfigureAwait(false)).ShouldSucceed();

    /// <summary>The same, blocking, for fixtures built in a constructor.</summary>
    public static ProcessResult Run(string dir, params string[] args) => RunAsync(dir, args).GetAwaiter().GetResult();
}
