using Airlock.Sandboxes.Parsing;

namespace Airlock.Sandboxes.Tests.Parsing;

public sealed class ShellWordsTests
{
    [Theory]
    [InlineData("claude", new[] { "claude" })]
    [InlineData("  a   b\tc\n", new[] { "a", "b", "c" })]
    [InlineData("echo 'single quoted $HOME \\n'", new[] { "echo", "single quoted $HOME \\n" })]
    [InlineData("echo \"double quoted\"", new[] { "echo", "double quoted" })]
    [InlineData("a\\ b", new[] { "a b" })]
    [InlineData("\"a\\\"b\"", new[] { "a\"b" })]
    [InlineData("\"a\\\\b\"", new[] { "a\\b" })]
    [InlineData("\"a\\nb\"", new[] { "a\\nb" })]
    [InlineData("\"\\$HOME\"", new[] { "$HOME" })]
    [InlineData("pre'mid'\"post\"", new[] { "premidpost" })]
    [InlineData("a '' b", new[] { "a", "", "b" })]
    [InlineData("\\'", new[] { "'" })]
    public void Split_follows_posix_shell_quoting_without_expansion(string text, string[] words)
    {
        ShellWords.Split(text).ShouldBe(words);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Split_of_blank_text_gives_no_words(string text)
    {
        ShellWords.Split(text).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("echo 'oops", "unclosed single quote at character 6")]
    [InlineData("echo \"oops", "unclosed double quote")]
    [InlineData("echo \"oops\\\"", "unclosed double quote")]
    [InlineData("echo oops\\", "trailing backslash")]
    public void Split_refuses_unfinished_quoting(string text, string message)
    {
        Should.Throw<FormatException>(() => ShellWords.Split(text)).Message.ShouldContain(message);
    }

    [Fact]
    public void Join_leaves_plain_words_bare_and_quotes_the_rest()
    {
        ShellWords.Join(["git", "commit", "-m", "two words", "it's", "", "a=b:c/d.e@f%g+h,i"])
            .ShouldBe("git commit -m 'two words' 'it'\\''s' '' a=b:c/d.e@f%g+h,i");
    }

    public static TheoryData<string[]> Argvs => new()
    {
        { ["bash", "-c", "echo \"$HOME\" && ls 'x y'"] },
        { ["it's", "\\back\\slash", "", "tab\there", "*glob?", "new\nline"] },
    };

    [Theory]
    [MemberData(nameof(Argvs))]
    public void Split_of_Join_gives_the_words_back(string[] words)
    {
        ShellWords.Split(ShellWords.Join(words)).ShouldBe(words);
    }
}
