using Spectre.Console;
using Airlock.Cli.Commands;
using Airlock.Cli.Console;
using Airlock.Cli.Doctor;
using Airlock.Cli.Errors;
using Airlock.Engine;
using Airlock.Engine.Identity;
using Airlock.Sandboxes.Specs;

namespace Airlock.Cli.Tests;

public sealed class KeyValueArgumentsTests
{
    [Fact]
    public void Key_value_pairs_split_at_the_first_equals_sign()
    {
        var parsed = KeyValueArguments.Parse("--env", ["A=1", "B=x=y", "C="]);

        parsed.ShouldBe(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y", ["C"] = "" });
    }

    [Fact]
    public void A_bare_key_takes_the_host_value()
    {
        var parsed = KeyValueArguments.Parse("--env", ["HOME"], name => name == "HOME" ? "/root" : null);

        parsed["HOME"].ShouldBe("/root");
    }

    [Fact]
    public void Every_malformed_entry_is_reported_not_just_the_first()
    {
        var ex = Should.Throw<UserInputException>(() => KeyValueArguments.Parse("--env", ["=1", "UNSET_ONE", "OK=1"], _ => null));

        ex.Message.ShouldContain("'=1'");
        ex.Message.ShouldContain("'UNSET_ONE'");
        ex.HowToFix.ShouldContain("--env KEY=VALUE");
    }
}

public sealed class ConsoleFactoryTests
{
    [Theory]
    [InlineData(true, null, "xterm", true)]
    [InlineData(false, "1", "xterm", true)]
    [InlineData(false, "", "xterm", false)]
    [InlineData(false, null, "dumb", true)]
    [InlineData(false, null, "xterm-256color", false)]
    public void Output_is_plain_when_redirected_or_NO_COLOR_or_a_dumb_terminal(bool redirected, string? noColor, string term, bool plain)
    {
        ConsoleFactory.IsPlain(redirected, name => name switch { "NO_COLOR" => noColor, "TERM" => term, _ => null }).ShouldBe(plain);
    }

    [Fact]
    public void A_plain_console_shows_the_doctor_report_without_escape_codes_or_box_drawing()
    {
        var writer = new StringWriter();
        var console = ConsoleFactory.Create(writer, redirected: true, _ => null);

        DoctorRenderer.Render(console, DoctorReportTests.Report(DoctorStatus.Healthy));

        var text = writer.ToString();
        text.ShouldNotContain("\u001b[");
        text.ShouldNotContain("─");
        text.ShouldNotContain("✔");
        text.ShouldContain("| Base image");
        text.ShouldContain("Everything Airlock needs is in place.");
    }
}

public sealed class DoctorReportTests
{
    internal static DoctorReport Report(string status) => new()
    {
        AirlockVersion = "0.1.0",
        Status = status,
        Candidates = [],
        BaseImage = new BaseImageReport("img", "default", null, null, null, null),
        Problems = [],
    };

    [Theory]
    [InlineData(DoctorStatus.Healthy, 0)]
    [InlineData(DoctorStatus.Problems, 2)]
    [InlineData(DoctorStatus.NoEngine, 3)]
    public void Exit_code_follows_the_status(string status, int exitCode) => Report(status).ExitCode.ShouldBe(exitCode);

    private static readonly EngineIdentity Rootful = new(EngineKind.Docker, "20.10", EngineApiVersion.Pinned, EngineApiVersion.Pinned, false, "linux", "amd64", "6.1");

    [Fact]
    public void Doctor_offers_gvisor_where_the_engine_has_airlocks_runsc_and_says_how_to_add_it_where_not()
    {
        var with = IsolationDoctor.Report(IsolationLevel.Gvisor, new EngineRuntimes(["airlock-runsc", "airlock-runsc-loopback", "runc"], "runc"), Rootful);
        var without = IsolationDoctor.Report(IsolationLevel.Gvisor, new EngineRuntimes(["runc", "runsc"], "runc"), Rootful);
        var half = IsolationDoctor.Report(IsolationLevel.Gvisor, new EngineRuntimes(["airlock-runsc", "runc"], "runc"), Rootful);
        var container = IsolationDoctor.Report(IsolationLevel.Container, new EngineRuntimes(["runc"], "runc"), Rootful);

        with.ShouldBe(new IsolationReport("gvisor", true, "airlock-runsc", null, null));
        without.Available.ShouldBeFalse();
        without.Fix.ShouldNotBeNull().ShouldContain("setup-gvisor.sh");
        half.Available.ShouldBeFalse("an engine set up before the loopback runtime existed cannot run gvisor sandboxes without a network");
        half.Note.ShouldNotBeNull().ShouldContain("airlock-runsc-loopback");
        container.ShouldBe(new IsolationReport("container", true, "runc", null, null));
    }

    [Fact]
    public void A_plain_console_lists_the_isolation_levels_and_the_fix_of_a_missing_one()
    {
        var writer = new StringWriter();
        var console = ConsoleFactory.Create(writer, redirected: true, _ => null);

        DoctorRenderer.Render(console, Report(DoctorStatus.Healthy) with
        {
            Isolation = [new IsolationReport("container", true, "runc", null, null), new IsolationReport("gvisor", false, "airlock-runsc", "missing", "bash scripts/setup-gvisor.sh")],
        });

        var text = writer.ToString();
        text.ShouldContain("ok: container (runc)");
        text.ShouldContain("-: gvisor (airlock-runsc; missing)");
        text.ShouldContain("setup-gvisor.sh");
    }
}
