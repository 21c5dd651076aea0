using System.CommandLine;
using System.Diagnostics;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;
using Airlock.Launcher;
using Airlock.Launcher.Config;
using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Parsing;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;
using Airlock.Sandboxes.Validation;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary><c>airlock config</c> and <c>airlock edit template NAME</c>: open the file in $EDITOR, then check it.</summary>
public static class EditorCommands
{
    public static Command Config(CliContext context)
    {
        var path = new Option<bool>("--path") { Description = "Print the config file's path instead of opening it." };
        var config = new Command("config", "Open ~/.airlock/config.yaml in $EDITOR (vi if unset), then validate it.") { path };
        config.WithHelp(null, "airlock config", "EDITOR=nano airlock config", "airlock config --path");
        config.SetAction(async (parse, ct) =>
        {
            var paths = AirlockPaths.FromEnvironment(context.GetVariable);
            if (parse.GetValue(path))
            {
                context.Out.WriteLine(paths.ConfigFile);
                return ExitCodes.Ok;
            }

            if (!File.Exists(paths.ConfigFile))
            {
                ConfigWriter.Save(new AirlockConfig(), paths.ConfigFile);
            }

            await OpenEditorAsync(context, paths.ConfigFile, ct);
            try
            {
                ConfigLoader.Load(paths.ConfigFile);
                context.Error.MarkupLine("[green]config is valid[/]");
                return ExitCodes.Ok;
            }
            catch (ValidationException ex)
            {
                // The same "error: … fix: …" shape as every other refusal, so scripts and people find it the same way.
                ErrorReporter.Write(context, ex.Message, "run `airlock config` again to correct it");
                return ExitCodes.UserError;
            }
        });
        return config;
    }

    public static Command Edit(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The template; a baked-in one is first forked into ~/.airlock/templates." };
        var template = new Command("template", "Open a user template's Dockerfile in $EDITOR.") { name };
        template.WithHelp(null, "airlock edit template my-fork", "airlock edit template default   # forks the baked-in default first");
        template.SetAction(async (parse, ct) =>
        {
            var paths = AirlockPaths.FromEnvironment(context.GetVariable);
            var n = parse.GetRequiredValue(name);
            if (NameRules.TemplateProblem(n) is { } problem)
            {
                throw new LauncherException(problem);
            }

            var catalog = new TemplateCatalog(paths);
            var dir = catalog.UserDir(n);
            if (!Directory.Exists(dir))
            {
                if (!BakedInTemplates.Exists(n))
                {
                    throw new LauncherException($"no template named '{n}'; create it with: airlock create template {n}");
                }

                await catalog.ForkIntoAsync(n, dir, refresh: false, ct);
                context.Error.MarkupLine($"forked baked-in template [bold]{Markup.Escape(n)}[/] into {Markup.Escape(paths.Contract(dir))}");
            }

            await OpenEditorAsync(context, Path.Combine(dir, "Dockerfile"), ct);
            return ExitCodes.Ok;
        });
        return new Command("edit", "Edit a template.") { template };
    }

    private static async Task OpenEditorAsync(CliContext context, string file, CancellationToken ct)
    {
        var editor = context.GetVariable("VISUAL") is { Length: > 0 } v ? v : context.GetVariable("EDITOR") is { Length: > 0 } e ? e : "vi";
        var words = ShellWords.Split(editor);
        var psi = new ProcessStartInfo(words[0]) { UseShellExecute = false };
        foreach (var w in words.Skip(1))
        {
            psi.ArgumentList.Add(w);
        }

        psi.ArgumentList.Add(file);
        try
        {
            using var process = Process.Start(psi)!;
            await process.WaitForExitAsync(ct);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new LauncherException($"could not start the editor '{editor}'; set EDITOR to one that is installed (e.g. EDITOR=nano)");
        }
    }
}
