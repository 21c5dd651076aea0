using System.CommandLine;
using Spectre.Console;

namespace Airlock.Cli.Tests;

/// <summary>
/// The real binary's reading of a command line: an option-looking word airlock does not know is exit 2 naming it and
/// the closest option, before any engine or server is asked; every command's help shows that command's usage.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("airlock-cli-line-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Its own homes, and an engine and a server that do not exist: any attempt to reach them would exit 3.</summary>
    private Dictionary<string, string?> Isolated() => new()
    {
        ["AIRLOCK_HOME"] = Path.Combine(_scratch, "airlock"),
        ["HOME"] = Path.Combine(_scratch, "home"),
        ["XDG_RUNTIME_DIR"] = Path.Combine(_scratch, "run"),
        ["AIRLOCK_ENGINE"] = "unix://" + Path.Combine(_scratch, "no-engine.sock"),
        ["AIRLOCK_SERVER"] = "http://127.0.0.1:9",
        ["NO_COLOR"] = "1",
    };

    private static string Folded(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    [Theory]
    [InlineData("--no-such-flag", "the closest is", "work", "--no-such-flag")]
    [InlineData("--hypervisor", "the closest is", "work", "--hypervisor", "kvm", "make", "test")]
    [InlineData("--dryrun", "did you mean --dry-run?", "work", "--dryrun")]
    [InlineData("--imag", "did you mean --image?", "--imag", "x", "work", "true")]
    [InlineData("--no-such-flag", "the closest is", "--no-such-flag")]
    public async Task Unknown_option_on_the_launch_form_exits_2_naming_it_and_the_closest_option_before_any_engine_work(
        string word, string suggestion, params string[] args)
    {
        var result = await AirlockBinary.RunAsync(args, Isolated());

        result.ExitCode.ShouldBe(2, result.ToString());
        Folded(result.Stderr).ShouldContain($"error: '{word}' is not an option of airlock; {suggestion}", Case.Sensitive, result.ToString());
        Folded(result.Stderr).ShouldContain("words for the command go after it", Case.Sensitive, result.ToString());
        result.Stdout.ShouldBeEmpty();
        Directory.Exists(Path.Combine(_scratch, "airlock")).ShouldBeFalse("nothing may be created for a command line that is refused");
    }

    [Theory]
    [InlineData("`airlock sandbox exec`", "--nope", "sandbox", "exec", "--nope", "sb1", "ls")]
    [InlineData("`airlock engine run`", "--nope", "engine", "run", "--nope", "localhost/airlock-base:bookworm", "true")]
    [InlineData("`airlock engine exec`", "--usr", "engine", "exec", "--usr", "root", "c1", "true")]
    [InlineData("`airlock run`", "--nope", "run", "--nope", "claude")]
    [InlineData("airlock", "--nope", "--nope", "doctor")]
    [InlineData("`airlock doctor`", "--jsn", "doctor", "--jsn")]
    [InlineData("`airlock sandbox create`", "--imag", "sandbox", "create", "n1", "--imag", "img", "--", "true")]
    public async Task Unknown_option_of_a_command_exits_2_naming_it_and_the_command_before_anything_runs(string where, string word, params string[] args)
    {
        var result = await AirlockBinary.RunAsync(args, Isolated());

        result.ExitCode.ShouldBe(2, result.ToString());
        Folded(result.Stderr).ShouldContain($"error: '{word}' is not an option of {where};", Case.Sensitive, result.ToString());
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_unknown_option_is_reported_not_just_the_first()
    {
        var result = await AirlockBinary.RunAsync(["--hypervisor", "--dryrun", "work", "--gpu", "ls"], Isolated());

        result.ExitCode.ShouldBe(2, result.ToString());
        var stderr = Folded(result.Stderr);
        stderr.ShouldContain("'--hypervisor' is not an option of airlock");
        stderr.ShouldContain("'--dryrun' is not an option of airlock; did you mean --dry-run?");
        stderr.ShouldContain("'--gpu' is not an option of airlock; did you mean --gpg?");
    }

    [Fact]
    public async Task A_word_starting_with_at_is_a_word_not_a_response_file()
    {
        var file = Path.Combine(_scratch, "words");
        File.WriteAllText(file, "bash\n");

        var result = await AirlockBinary.RunAsync(["completion", "@" + file], Isolated());

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain($"'@{file}'");
        result.Stdout.ShouldNotContain("complete -o default");
    }

    public static TheoryData<string> Subcommands()
    {
        var context = new CliContext(() => AnsiConsole.Console, () => AnsiConsole.Console, TimeProvider.System, _ => null);
        var root = CliApp.BuildRoot(context, new Option<bool>("--verbose") { Recursive = true });
        var paths = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                var subPath = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
                paths.Add(subPath);
                Walk(sub, subPath);
            }
        }

        Walk(root, "");
        return paths;
    }

    [Theory]
    [MemberData(nameof(Subcommands))]
    public async Task Help_of_every_subcommand_shows_its_own_usage_without_the_launch_form(string path)
    {
        var result = await AirlockBinary.RunAsync([.. path.Split(' '), "--help"], Isolated());

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Stdout.Split('\n');
        var usage = Array.IndexOf(lines, "Usage:");
        usage.ShouldBeGreaterThanOrEqualTo(0, result.ToString());
        lines[usage + 1].ShouldStartWith($"  airlock {path}", Case.Sensitive, result.ToString());
        result.Stdout.ShouldNotContain("<NAMESPACE>", Case.Sensitive, result.ToString());
    }

    [Fact]
    public async Task Sandbox_exec_help_shows_sandbox_exec_usage()
    {
        var result = await AirlockBinary.RunAsync(["sandbox", "exec", "--help"], Isolated());

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Usage:\n  airlock sandbox exec <SANDBOX> <COMMAND>... [options]\n");
        result.Stdout.ShouldNotContain("<NAMESPACE>");
    }

    [Fact]
    public async Task Root_help_shows_the_launch_form_and_the_verb_form_on_their_own_lines()
    {
        var result = await AirlockBinary.RunAsync(["--help"], Isolated());

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Usage:\n  airlock [<NAMESPACE> [<COMMAND>...]] [options]\n  airlock <command> [options]\n");
        result.Stdout.ShouldContain("<NAMESPACE>  The namespace to enter");
    }
}
