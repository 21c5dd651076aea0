using System.CommandLine;
using Airlock.Cli.Commands;
using Spectre.Console;

namespace Airlock.Cli.Tests;

/// <summary>
/// Where airlock's words end and a program's begin, as the parser then sees them: after the first word of the command
/// (or after --) everything is the command's, untouched; before it, only airlock's options.
/// </summary>
public sealed class CommandLineSplitterTests
{
    private static readonly RootCommand Root = CliApp.BuildRoot(
        new CliContext(() => AnsiConsole.Console, () => AnsiConsole.Console, TimeProvider.System, _ => null),
        new Option<bool>("--verbose") { Recursive = true });

    private static ParseResult Parse(params string[] args)
    {
        var line = CommandLineSplitter.Split(args, Root);
        line.Unknown.ShouldBeEmpty();
        var parse = Root.Parse(line.Args, CliApp.ParserSettings);
        parse.Errors.ShouldBeEmpty();
        return parse;
    }

    private static string[] Program(ParseResult parse) =>
        parse.GetValue(parse.CommandResult.Command.Arguments.OfType<ProgramArgument>().Single()) ?? [];

    private static T? Value<T>(ParseResult parse, string option) => parse.GetValue<T>(option);

    private static IReadOnlyList<UnknownOption> Unknown(params string[] args) => CommandLineSplitter.Split(args, Root).Unknown;

    [Theory]
    [InlineData(new[] { "work", "ls", "--color" }, new[] { "ls", "--color" })]
    [InlineData(new[] { "work", "ls", "-la", "--no-such-flag", "--hypervisor" }, new[] { "ls", "-la", "--no-such-flag", "--hypervisor" })]
    [InlineData(new[] { "work", "--dry-run", "ls", "--dry-run" }, new[] { "ls", "--dry-run" })]
    [InlineData(new[] { "work", "--", "--weird-name", "-x" }, new[] { "--weird-name", "-x" })]
    [InlineData(new[] { "work", "echo", "--", "-x" }, new[] { "echo", "--", "-x" })]
    [InlineData(new[] { "work", "cat", "@notes" }, new[] { "cat", "@notes" })]
    [InlineData(new[] { "-e", "A=1", "-v/data:/data", "work", "env", "-e" }, new[] { "env", "-e" })]
    public void After_the_first_word_of_the_command_everything_is_the_commands(string[] args, string[] command)
    {
        var parse = Parse(args);

        parse.CommandResult.Command.ShouldBeOfType<RootCommand>();
        Program(parse).ShouldBe(command);
    }

    [Fact]
    public void Airlock_options_between_the_namespace_and_the_command_are_airlocks()
    {
        var parse = Parse("work", "--dry-run", "-e", "A=1", "--create", "base", "ls");

        Value<bool>(parse, "--dry-run").ShouldBeTrue();
        Value<string[]>(parse, "--env").ShouldBe(["A=1"]);
        Value<string>(parse, "--create").ShouldBe("base");
        Value<string>(parse, "NAMESPACE").ShouldBe("work");
        Program(parse).ShouldBe(["ls"]);
    }

    [Fact]
    public void A_bare_double_dash_runs_the_command_in_the_default_namespace()
    {
        var parse = Parse("--", "ls", "-la");

        Value<string>(parse, "NAMESPACE").ShouldBe("default");
        Program(parse).ShouldBe(["ls", "-la"]);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--hypervisor")]
    [InlineData("-x")]
    [InlineData("-V1")]
    [InlineData("--env-file")]
    public void An_unknown_option_before_the_command_is_reported_with_the_root_as_its_place(string word)
    {
        var unknown = Unknown("work", word, "ls").ShouldHaveSingleItem();

        unknown.Word.ShouldBe(word);
        unknown.Command.ShouldBeOfType<RootCommand>();
    }

    [Theory]
    [InlineData("--dryrun", "--dry-run")]
    [InlineData("--dry", "--dry-run")]
    [InlineData("--volumes", "--volume")]
    [InlineData("--hostport", "--host-port")]
    [InlineData("--allow-concurent", "--allow-concurrent")]
    public void A_near_miss_is_a_likely_typo_of_the_nearest_option(string word, string nearest)
    {
        var unknown = Unknown("work", word).ShouldHaveSingleItem();

        unknown.Closest.ShouldBe(nearest);
        unknown.Likely.ShouldBeTrue();
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--hypervisor")]
    [InlineData("-x")]
    public void A_far_miss_still_names_the_nearest_option_but_not_as_a_typo(string word)
    {
        var unknown = Unknown("work", word).ShouldHaveSingleItem();

        unknown.Closest.ShouldStartWith("-");
        unknown.Likely.ShouldBeFalse();
    }

    [Theory]
    [InlineData("--env=A=1")]
    [InlineData("--env:A=1")]
    [InlineData("-eA=1")]
    [InlineData("-e=A=1")]
    [InlineData("--create=base")]
    [InlineData("--verbose")]
    [InlineData("-h")]
    public void Every_form_the_parser_reads_as_a_known_option_is_known(string word) => Unknown("work", word).ShouldBeEmpty();

    [Fact]
    public void A_value_option_takes_the_next_word_even_when_it_looks_like_an_option()
    {
        var parse = Parse("work", "-e", "--odd=value", "true");

        Value<string[]>(parse, "--env").ShouldBe(["--odd=value"]);
        Program(parse).ShouldBe(["true"]);
    }

    [Fact]
    public void An_optional_value_option_does_not_take_an_unknown_option_as_its_value()
    {
        Unknown("work", "--create", "--nope").ShouldHaveSingleItem().Word.ShouldBe("--nope");
    }

    [Fact]
    public void Engine_run_gives_every_word_after_the_image_to_the_command_even_a_bundle_of_airlock_letters()
    {
        // The parser alone splits "-la" into airlock's own -l (--label) and "a".
        var parse = Parse("engine", "run", "-it", "localhost/airlock-base:bookworm", "ls", "-la", "-t", "@x");

        Value<bool>(parse, "--tty").ShouldBeTrue();
        Value<bool>(parse, "--interactive").ShouldBeTrue();
        Program(parse).ShouldBe(["ls", "-la", "-t", "@x"]);
    }

    [Fact]
    public void Engine_run_reads_a_double_dash_after_the_image_as_a_separator()
    {
        Program(Parse("engine", "run", "img", "--", "ls", "-la")).ShouldBe(["ls", "-la"]);
    }

    [Theory]
    [InlineData(new[] { "sandbox", "exec", "sb1", "--", "uname", "-a" }, new[] { "uname", "-a" })]
    [InlineData(new[] { "sandbox", "exec", "-e", "CI=1", "sb1", "sh", "-c", "make -k" }, new[] { "sh", "-c", "make -k" })]
    [InlineData(new[] { "engine", "exec", "-it", "c1", "bash", "-l" }, new[] { "bash", "-l" })]
    [InlineData(new[] { "sandbox", "create", "job", "--image", "img", "-q", "--", "sleep", "infinity" }, new[] { "sleep", "infinity" })]
    [InlineData(new[] { "sandbox", "create", "job", "--image", "img", "sh", "-c", "echo --image" }, new[] { "sh", "-c", "echo --image" })]
    [InlineData(new[] { "conduit", "launch", "pi", "-m", "qwen3", "--", "-p", "hi" }, new[] { "-p", "hi" })]
    [InlineData(new[] { "conduit", "launch", "codex", "--model", "q", "exec", "--full-auto" }, new[] { "exec", "--full-auto" })]
    public void A_commands_program_words_reach_it_untouched(string[] args, string[] program)
    {
        Program(Parse(args)).ShouldBe(program);
    }

    [Theory]
    [InlineData("sandbox", "exec", "--nope", "sb1", "ls")]
    [InlineData("engine", "run", "--nope", "img")]
    [InlineData("sandbox", "create", "n1", "--imag", "img")]
    [InlineData("conduit", "launch", "pi", "-p", "hi")]
    [InlineData("list", "--nope", "namespaces")]
    public void An_unknown_option_before_a_commands_program_words_is_reported_with_that_command(params string[] args)
    {
        var unknown = Unknown(args).ShouldHaveSingleItem();

        unknown.Command.ShouldNotBeOfType<RootCommand>();
        args.ShouldContain(unknown.Command.Name);
    }
}
