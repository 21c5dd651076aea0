using Airlock.Cli.Remote;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Launcher;
using Airlock.Launcher.Conduit;
using Airlock.Sandboxes.Templates;
using Airlock.Sandboxes.Validation;
using Spectre.Console;

namespace Airlock.Cli.Errors;

/// <summary>Turns an exception that reached the top into a message on stderr and one of Airlock's exit codes.</summary>
public static class ErrorReporter
{
    public static int Report(CliContext context, Exception exception)
    {
        switch (exception)
        {
            case UserInputException input:
                Write(context, input.Message, input.HowToFix);
                return ExitCodes.UserError;
            case ConduitException conduit:
                Write(context, conduit.Message, conduit.HowToFix);
                return conduit.ServerProblem ? ExitCodes.Unreachable : ExitCodes.UserError;
            case Airlock.Sandboxes.Files.UnsafePathException unsafePath:
                Write(context, unsafePath.Message, unsafePath.HowToFix);
                return ExitCodes.UserError;
            case LauncherException launcher:
                Write(context, launcher.Message, null);
                return ExitCodes.UserError;
            case ValidationException invalid:
                Write(context, invalid.Message, "correct the fields above (airlock config opens the file)");
                return ExitCodes.UserError;
            case TemplateNotFoundException template:
                Write(context, template.Message, "see: airlock list templates");
                return ExitCodes.UserError;
            case TemplateRefusedException refused:
                Write(context, refused.Message, null);
                return ExitCodes.UserError;
            case ImageBuildFailedException build:
                Write(context, build.Message, null);
                if (build.StepOutput.Length > 0)
                {
                    context.Error.WriteLine("  output of the failing step:");
                    foreach (var line in build.StepOutput.Split('\n').TakeLast(30))
                    {
                        context.Error.WriteLine("    " + line);
                    }
                }

                ErrorReporter.Write(context, "", "fix the step in the build dir's Dockerfile, then: airlock rebuild namespace NAME (the previous image is still usable)", fixOnly: true);
                return ExitCodes.UserError;
            case EngineConfigurationException config:
                Write(context, config.Message, "see `airlock doctor --help` for the values AIRLOCK_ENGINE accepts");
                return ExitCodes.UserError;
            case EngineUnreachableException unreachable:
                Write(context, unreachable.Message, unreachable.HowToFix);
                return ExitCodes.Unreachable;
            case EngineApiTooOldException tooOld:
                Write(context, tooOld.Message, "upgrade the engine, or point AIRLOCK_ENGINE at a newer one");
                return ExitCodes.Unreachable;
            case EngineNotFoundException notFound:
                Write(context, notFound.Message, "check the name; `airlock doctor` shows which engine Airlock uses");
                return ExitCodes.UserError;
            case EngineConflictException conflict:
                Write(context, conflict.Message, "pick another name, or remove what is in the way");
                return ExitCodes.UserError;
            case RemoteApiException api:
                Write(context, api.Message, null);
                foreach (var field in api.Fields)
                {
                    context.Error.WriteLine($"  {field.Path}: {field.Message}");
                }

                Write(context, "", api.HowToFix, fixOnly: true);
                return api.Status switch
                {
                    503 => ExitCodes.Unreachable,
                    >= 500 => ExitCodes.Bug,
                    _ => ExitCodes.UserError,
                };
            case ServerUnreachableException unreachableServer:
                Write(context, unreachableServer.Message, unreachableServer.HowToFix);
                return ExitCodes.Unreachable;
            case EngineException engine:
                Write(context, "the engine refused: " + engine.Message, null);
                WriteTrace(context, engine);
                return ExitCodes.Bug;
            default:
                Write(context, $"Airlock hit an unexpected error ({exception.GetType().Name}): {exception.Message}",
                    context.Verbose ? null : "this is a bug; run again with --verbose for the stack trace and report it");
                WriteTrace(context, exception);
                return ExitCodes.Bug;
        }
    }

    public static void Write(CliContext context, string message, string? howToFix, bool fixOnly = false)
    {
        var err = context.Error;
        if (!fixOnly)
        {
            err.Markup("[red bold]error:[/] ");
            err.WriteLine(message);
        }

        if (!string.IsNullOrEmpty(howToFix))
        {
            err.Markup("[yellow]  fix:[/] ");
            err.WriteLine(howToFix);
        }
    }

    private static void WriteTrace(CliContext context, Exception exception)
    {
        if (context.Verbose)
        {
            context.Error.WriteLine(exception.ToString());
        }
    }
}
