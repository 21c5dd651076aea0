using Airlock.Launcher.Launch;

namespace Airlock.Launcher.Tests.Launch;

public sealed class GitConfigFileTests
{
    [Fact]
    public void Sections_subsections_quotes_escapes_comments_and_continuations_are_read_as_git_reads_them()
    {
        const string text = """
            # a comment
            [Core]
            	hooksPath = .githooks ; trailing comment
            	bare
            [remote "Origin"]
            	url = "https://example.com/a b"
            [alias]
            	lg = log --graph \
            --oneline
            	q = "say \"hi\"\tthere"
            [url.old-style]
            	insteadOf = x
            [user] name = Inline
            """;

        var entries = GitConfigFile.Parse(text).Entries;

        entries.ShouldBe(
        [
            new GitConfigEntry("core", "", "hookspath", ".githooks"),
            new GitConfigEntry("core", "", "bare", null),
            new GitConfigEntry("remote", "Origin", "url", "https://example.com/a b"),
            new GitConfigEntry("alias", "", "lg", "log --graph --oneline"),
            new GitConfigEntry("alias", "", "q", "say \"hi\"\tthere"),
            new GitConfigEntry("url", "old-style", "insteadof", "x"),
            new GitConfigEntry("user", "", "name", "Inline"),
        ]);
    }

    [Fact]
    public void Get_gives_the_last_value_and_true_for_a_bare_key()
    {
        var config = GitConfigFile.Parse("[core]\n\tpager = less\n\tbare\n[core]\n\tpager = more\n");

        config.Get("core", "pager").ShouldBe("more");
        config.Get("core", "bare").ShouldBe("true");
        config.Get("core", "editor").ShouldBeNull();
    }

    [Fact]
    public void Rendering_then_parsing_gives_the_same_entries()
    {
        var config = GitConfigFile.Parse("[a \"Sub \\\"q\\\"\"]\n\tk = \"v \\\\ \\\"x\\\"\\n\"\n\tflag\n[b]\n\tk = plain\n");

        GitConfigFile.Parse(config.Render()).Entries.ShouldBe(config.Entries);
    }
}
