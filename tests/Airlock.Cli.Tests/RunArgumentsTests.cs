using System.CommandLine;
using Airlock.Cli.Agents;
using Airlock.Cli.Commands;
using Spectre.Console;

namespace Airlock.Cli.Tests;

/// <summary><c>airlock run AGENT ARGS</c>: everything after the agent's name is the agent's, whatever it looks like.</summary>
public sealed class RunArgumentsTests
{
    private static ParseResult Parse(params string[] args)
    {
        var context = new CliContext(() => AnsiConsole.Console, () => AnsiConsole.Console, TimeProvider.System, _ => null);
        var root = CliApp.BuildRoot(context, new Option<bool>("--verbose") { Recursive = true });
        return root.Parse(CommandLineSplitter.Split(args, root).Args, CliApp.ParserSettings);
    }

    private static (string? Agent, string[] Args) AgentAndArgs(ParseResult parse)
    {
        parse.Errors.ShouldBeEmpty();
        parse.CommandResult.Command.Name.ShouldBe("run");
        var command = parse.CommandResult.Command;
        return (parse.GetValue((Argument<string?>)command.Arguments[0]), parse.GetValue((Argument<string[]>)command.Arguments[1]) ?? []);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-v")]
    [InlineData("--version")]
    [InlineData("-e")]
    [InlineData("--dry-run")]
    [InlineData("--namespace")]
    public void A_word_after_the_agent_that_is_also_an_airlock_option_goes_to_the_agent(string word)
    {
        var (agent, args) = AgentAndArgs(Parse("run", "codex", word));

        agent.ShouldBe("codex");
        args.ShouldBe([word]);
    }

    [Fact]
    public void A_double_dash_after_the_agent_reaches_the_agent_too()
    {
        AgentAndArgs(Parse("run", "claude", "--", "-p", "hi")).Args.ShouldBe(["--", "-p", "hi"]);
    }

    [Fact]
    public void Airlock_options_before_the_agent_are_airlocks_and_the_same_flags_after_it_are_the_agents()
    {
        var parse = Parse("run", "-e", "A=1", "--namespace", "work", "-v", "/data:/data", "--dry-run", "pi", "-e", "-v", "--dry-run");

        var (agent, args) = AgentAndArgs(parse);
        agent.ShouldBe("pi");
        args.ShouldBe(["-e", "-v", "--dry-run"]);
        var run = parse.CommandResult.Command;
        parse.GetValue(run.Options.OfType<Option<string[]>>().First(o => o.Name == "--env")).ShouldBe(["A=1"]);
        parse.GetValue(run.Options.OfType<Option<string?>>().First(o => o.Name == "--namespace")).ShouldBe("work");
        parse.GetValue(run.Options.OfType<Option<bool>>().First(o => o.Name == "--dry-run")).ShouldBeTrue();
    }

    [Fact]
    public void Network_and_allow_before_the_agent_are_airlocks()
    {
        var parse = Parse("run", "--network", "allowlist", "--allow", "api.anthropic.com", "--allow", "*.npmjs.org", "claude", "--allow", "x");

        var (agent, args) = AgentAndArgs(parse);
        agent.ShouldBe("claude");
        args.ShouldBe(["--allow", "x"]);
        var run = parse.CommandResult.Command;
        parse.GetValue(run.Options.OfType<Option<string?>>().First(o => o.Name == "--network")).ShouldBe("allowlist");
        parse.GetValue(run.Options.OfType<Option<string[]>>().First(o => o.Name == "--allow")).ShouldBe(["api.anthropic.com", "*.npmjs.org"]);
    }

    [Fact]
    public void An_option_value_that_looks_like_an_agent_name_is_not_taken_for_the_agent()
    {
        var (agent, args) = AgentAndArgs(Parse("run", "--namespace", "codex", "claude", "x"));

        agent.ShouldBe("claude");
        args.ShouldBe(["x"]);
    }

    [Fact]
    public void Run_help_without_an_agent_is_airlocks_help()
    {
        var parse = Parse("run", "--help");

        parse.Errors.ShouldBeEmpty();
        parse.Action.ShouldNotBeNull().GetType().Name.ShouldNotBe("ParseErrorAction");
        parse.Tokens.ShouldNotContain(t => t.Value == "--");
    }

    [Fact]
    public void An_unknown_option_before_the_agent_is_airlocks_mistake_not_the_agents_name()
    {
        var context = new CliContext(() => AnsiConsole.Console, () => AnsiConsole.Console, TimeProvider.System, _ => null);
        var root = CliApp.BuildRoot(context, new Option<bool>("--verbose") { Recursive = true });

        var unknown = CommandLineSplitter.Split(["run", "--nmespace", "work", "claude"], root).Unknown.ShouldHaveSingleItem();

        unknown.Word.ShouldBe("--nmespace");
        unknown.Closest.ShouldBe("--namespace");
    }

    [Fact]
    public void The_not_installed_message_names_the_namespace_and_the_template_to_rebuild_from()
    {
        var entry = new Airlock.Launcher.Config.NamespaceConfig { Image = "localhost/airlock:work", BuildDir = "~/.airlock/containers/work/", Template = "base" };

        var message = RunCommand.NotInstalled(Airlock.Launcher.Agents.AgentCatalog.Get("codex"), "work", entry);

        message.ShouldContain("not installed in namespace 'work'");
        message.ShouldContain("airlock rebuild namespace work --template cli-agents");
    }
}
