using System.Text.RegularExpressions;
using Airlock.Cli.Tests.Infrastructure;

namespace Airlock.Cli.Tests;

public sealed partial class VersionAndHelpTests
{
    [GeneratedRegex(@"^airlock version \d+\.\d+\.\d+( \(commit [0-9a-f]+\))?\n$")]
    private static partial Regex VersionLine();

    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    public async Task Version_prints_one_line_and_exits_0(string option)
    {
        var result = await AirlockBinary.RunAsync(option);

        result.ExitCode.ShouldBe(0, result.ToString());
        VersionLine().IsMatch(result.Stdout).ShouldBeTrue(result.ToString());
        result.Stderr.ShouldBeEmpty();
    }

    [Fact]
    public async Task Version_through_the_full_parser_prints_the_same_line_as_the_fast_path()
    {
        var fast = await AirlockBinary.RunAsync("--version");
        var parsed = await AirlockBinary.RunAsync("--verbose", "--version");

        parsed.ExitCode.ShouldBe(0, parsed.ToString());
        parsed.Stdout.ShouldBe(fast.Stdout);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("doctor", "--help")]
    [InlineData("engine", "--help")]
    [InlineData("engine", "run", "--help")]
    [InlineData("engine", "exec", "--help")]
    [InlineData("conduit", "--help")]
    [InlineData("conduit", "set", "--help")]
    [InlineData("conduit", "set", "endpoint", "--help")]
    [InlineData("conduit", "set", "api-key", "--help")]
    [InlineData("conduit", "show", "--help")]
    [InlineData("conduit", "models", "--help")]
    [InlineData("conduit", "launch", "--help")]
    [InlineData("run", "--help")]
    [InlineData("list", "agents", "--help")]
    public async Task Help_of_every_command_has_examples(params string[] args)
    {
        var result = await AirlockBinary.RunAsync(args);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Usage:");
        result.Stdout.ShouldContain("Examples:");
        result.Stdout.ShouldContain("airlock ");
    }

    [Fact]
    public async Task Doctor_help_documents_its_exit_codes()
    {
        var result = await AirlockBinary.RunAsync("doctor", "--help");

        result.Stdout.ShouldContain("Exit codes: 0 all good; 2 a problem you can fix");
        result.Stdout.ShouldContain("3 no engine answers");
    }

    [Theory]
    [InlineData("doctor", "--no-such-option")]
    [InlineData("doctor", "extra-argument")]
    [InlineData("engine", "frobnicate")]
    [InlineData("engine")]
    [InlineData("engine", "run")]
    public async Task Wrong_command_line_exits_2_with_what_is_wrong_and_where_to_look(params string[] args)
    {
        var result = await AirlockBinary.RunAsync(args);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("error:");
        result.Stderr.ShouldContain("--help` for usage and examples");
        result.Stdout.ShouldBeEmpty();
    }
}
