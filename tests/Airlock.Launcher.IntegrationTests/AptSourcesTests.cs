using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// The base image is made from the machine's own apt sources (scripts/apt-sources.sh), never from a mirror address
/// written into a script: a machine behind its own mirror or proxy builds from that.
/// </summary>
public sealed class AptSourcesTests : IDisposable
{
    private readonly string _etc = Names.NewScratchDir("apt");

    private Task<ProcessResult> SourcesAsync(string suite) =>
        ProcessRunner.RunAsync("bash", [Path.Combine(AirlockBinary.RepoRoot, "scripts", "apt-sources.sh"), suite], new Dictionary<string, string?> { ["APT_ETC"] = _etc });

    [Fact]
    public async Task The_mirror_comes_from_the_one_line_and_deb822_sources_skipping_disabled_source_and_other_suites()
    {
        Directory.CreateDirectory(Path.Combine(_etc, "sources.list.d"));
        File.WriteAllText(Path.Combine(_etc, "sources.list"), """
            deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] http://mirror.internal/debian bookworm main contrib # a comment
            # deb http://commented.internal/debian bookworm main
            deb-src http://src.internal/debian bookworm main
            deb http://other.internal/debian trixie main
            """);
        File.WriteAllText(Path.Combine(_etc, "sources.list.d", "debian.sources"), """
            Types: deb deb-src
            URIs: http://proxy.internal/debian
            Suites: bookworm bookworm-updates
            Components: main

            Types: deb
            Enabled: no
            URIs: http://disabled.internal/debian
            Suites: bookworm
            Components: main
            """);

        var result = (await SourcesAsync("bookworm")).ShouldSucceed();

        Engines.Lines(result.Stdout).ShouldBe(
        [
            "deb http://mirror.internal/debian bookworm main contrib",
            "deb http://proxy.internal/debian bookworm main",
            "deb http://proxy.internal/debian bookworm-updates main",
        ]);
    }

    [Fact]
    public async Task No_source_for_the_suite_exits_2_saying_where_it_looked()
    {
        File.WriteAllText(Path.Combine(_etc, "sources.list"), "deb http://other.internal/debian trixie main\n");

        var result = await SourcesAsync("bookworm");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain($"no apt source for Debian bookworm in {_etc}");
    }

    [Fact]
    public void No_script_names_a_package_mirror()
    {
        foreach (var script in Directory.EnumerateFiles(Path.Combine(AirlockBinary.RepoRoot, "scripts"), "*.sh"))
        {
            var text = File.ReadAllText(script);
            text.ShouldNotContain("deb.debian.org", Case.Insensitive, script);
            text.ShouldNotMatch(@"https?://[^\s""']*debian", script);
        }
    }

    public void Dispose() => Directory.Delete(_etc, recursive: true);
}
