using System.CommandLine;
using Airlock.Cli.Commands;
using Airlock.Sandboxes.Specs;
using Spectre.Console;

namespace Airlock.Cli.Tests;

/// <summary>The client's size flags (--memory, --max-memory) read sizes in the one grammar, and refuse others before asking the server.</summary>
public sealed class SizeOptionTests
{
    [Theory]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("512m", 512L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("1073741824", 1L << 30)]
    public void A_size_flag_reads_the_one_grammar(string text, long bytes)
    {
        var context = new CliContext(() => AnsiConsole.Console, () => AnsiConsole.Console, TimeProvider.System, _ => null);
        var root = CliApp.BuildRoot(context, new Option<bool>("--verbose") { Recursive = true });

        var parse = root.Parse(CommandLineSplitter.Split(["sandbox", "create", "n1", "--image", "img", "--memory", text], root).Args, CliApp.ParserSettings);

        parse.Errors.ShouldBeEmpty();
        parse.GetValue<long?>("--memory").ShouldBe(bytes);
    }

    [Theory]
    [InlineData("--memory", "lots", "sandbox", "create", "n1", "--image", "img", "--memory", "lots", "--", "true")]
    [InlineData("--memory", "0", "sandbox", "create", "n1", "--image", "img", "-m", "0")]
    [InlineData("--max-memory", "1,5g", "tenant", "create", "t1", "--max-memory", "1,5g")]
    [InlineData("--max-memory", "-1g", "tenant", "quota", "t1", "--max-memory", "-1g")]
    public async Task A_size_flag_that_is_not_a_positive_size_is_exit_2_naming_it_before_the_server_is_asked(string flag, string value, params string[] args)
    {
        var result = await AirlockBinary.RunAsync(args, new Dictionary<string, string?> { ["AIRLOCK_SERVER"] = "http://127.0.0.1:9", ["AIRLOCK_TOKEN"] = "x" });

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain($"{flag} '{value}' is not a size: {ByteSize.Grammar}");
    }
}
