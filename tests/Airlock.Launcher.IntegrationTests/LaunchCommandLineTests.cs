using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// <c>airlock NS [options] COMMAND...</c> against a real namespace: an option airlock does not know, before the command,
/// is refused (exit 2, naming it and the nearest option) instead of being run as the command; after the command's first
/// word, or after --, every word is the command's, exactly as typed.
/// </summary>
public sealed class LaunchCommandLineTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Unknown_option_before_the_command_is_refused_not_run_as_the_command(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var name = ws.BorrowNamespace(ns);
        var before = await StateSnapshot.TakeAsync(ws, name);

        var typo = await ws.AirlockAsync(name, "--no-such-flag");
        var newer = await ws.AirlockAsync(name, "--hypervisor", "kvm", "true");
        var near = await ws.AirlockAsync(name, "--dryrun", "true");

        typo.ShouldBeUserError("'--no-such-flag' is not an option of airlock; the closest is");
        newer.ShouldBeUserError("'--hypervisor' is not an option of airlock; the closest is");
        near.ShouldBeUserError("'--dryrun' is not an option of airlock; did you mean --dry-run?");
        foreach (var result in new[] { typo, newer, near })
        {
            result.Message.ShouldNotContain("failed to exec", Case.Insensitive, result.ToString());
            result.Stdout.ShouldBeEmpty(result.ToString());
        }

        before.ShouldBeUnchangedIn(await StateSnapshot.TakeAsync(ws, name), "a refused command line");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Words_after_the_command_or_after_a_double_dash_reach_it_as_typed(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);

        var afterCommand = (await ws.AirlockAsync(ns.Name, "printf", "%s|", "--no-such-flag", "--hypervisor", "-la", "--dry-run", "@words", "--", "-v")).ShouldSucceed();
        var afterDashes = (await ws.AirlockAsync(ns.Name, "--", "printf", "%s|", "--color", "--")).ShouldSucceed();

        afterCommand.Stdout.ShouldBe("--no-such-flag|--hypervisor|-la|--dry-run|@words|--|-v|");
        afterDashes.Stdout.ShouldBe("--color|--|");
    }
}
