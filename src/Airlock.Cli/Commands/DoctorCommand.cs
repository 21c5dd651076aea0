using System.CommandLine;
using System.Text.Json;
using Airlock.Cli.Doctor;
using Airlock.Cli.Engines;
using Airlock.Cli.Help;
using Airlock.Cli.Settings;

namespace Airlock.Cli.Commands;

/// <summary><c>airlock doctor</c>: which engine Airlock finds and how, and whether what it needs is there.</summary>
public static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (stable field names, schemaVersion 1) instead of tables." };
        var command = new Command("doctor", "Check Airlock's set-up: the engine it finds, how, and whether the base image is there.")
        {
            json,
        };
        command.WithHelp(
            """
            Check Airlock's set-up: which container engine it finds and how (every place it looks, in order), the engine's
            version and API, and whether the base image is there; each problem comes with what to do about it.

            The engine is chosen by AIRLOCK_ENGINE (podman, docker, unix:///path/to.sock or tcp://host:port), else DOCKER_HOST,
            else podman wherever it is installed (Airlock starts `podman system service` itself when no podman socket
            answers), else Docker. The base image is AIRLOCK_BASE_IMAGE, default localhost/airlock-base:bookworm.

            Exit codes: 0 all good; 2 a problem you can fix (missing base image, malformed AIRLOCK_ENGINE);
            3 no engine answers.
            """,
            "airlock doctor",
            "airlock doctor --json                         # machine-readable report",
            "AIRLOCK_ENGINE=docker airlock doctor          # check Docker instead of the first engine found",
            "AIRLOCK_ENGINE=unix:///run/podman/podman.sock airlock doctor");
        command.SetAction((parse, ct) => RunAsync(context, parse.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, bool json, CancellationToken ct)
    {
        var check = new DoctorCheck(EngineConnector.Discovery(context), BaseImageSetting.From(context.GetVariable), context.Time, Airlock.Sandboxes.Paths.AirlockPaths.FromEnvironment(context.GetVariable), context.GetVariable);
        var report = await check.RunAsync(ct);
        if (json)
        {
            var writer = context.Out.Profile.Out.Writer;
            await writer.WriteLineAsync(JsonSerializer.Serialize(report, DoctorJsonContext.Readable.DoctorReport));
            await writer.FlushAsync(ct);
        }
        else
        {
            DoctorRenderer.Render(context.Out, report);
        }

        return report.ExitCode;
    }
}
