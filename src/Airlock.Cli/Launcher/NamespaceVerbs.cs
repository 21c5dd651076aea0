using System.CommandLine;
using Airlock.Cli.Help;
using Airlock.Launcher;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary><c>airlock reset|rebuild|delete namespace NAME</c> and <c>airlock delete template NAME</c>.</summary>
public static class NamespaceVerbs
{
    public static Command Reset(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The namespace whose home to wipe and re-seed." };
        var ns = new Command("namespace", "Wipe the namespace's home and re-seed it from its image (logins and history are lost).") { name };
        ns.WithHelp(null, "airlock reset namespace work");
        ns.SetAction(async (parse, ct) =>
        {
            using var services = await LauncherServices.ConnectAsync(context, ct);
            var n = parse.GetRequiredValue(name);
            await BuildProgressView.RunAsync(context, $"namespace {n}", async p =>
            {
                await services.Namespaces.ResetAsync(n, p, ct);
                return 0;
            });
            context.Out.MarkupLine($"[green]reset[/] the home of namespace [bold]{Markup.Escape(n)}[/]");
            return ExitCodes.Ok;
        });
        return new Command("reset", "Reset a namespace's home.") { ns };
    }

    public static Command Rebuild(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The namespace to rebuild." };
        var refresh = new Option<bool>("--refresh-template") { Description = "Re-fork the build dir from the recorded template first (discards edits to it)." };
        var template = new Option<string?>("--template") { Description = "Re-fork from this template instead, and record it." };
        var noCache = new Option<bool>("--no-cache") { Description = "Rebuild every layer." };
        var ns = new Command("namespace", "Rebuild a namespace's image; a failed build keeps the previous image.") { name, refresh, template, noCache };
        ns.WithHelp(null, "airlock rebuild namespace work", "airlock rebuild namespace work --refresh-template", "airlock rebuild namespace work --template base --no-cache");
        ns.SetAction(async (parse, ct) =>
        {
            using var services = await LauncherServices.ConnectAsync(context, ct);
            var n = parse.GetRequiredValue(name);
            var legacy = await BuildProgressView.RunAsync(context, $"namespace {n}", p =>
                services.Namespaces.RebuildAsync(n, new RebuildOptions(parse.GetValue(refresh), parse.GetValue(template), parse.GetValue(noCache)), p, ct));
            context.Out.MarkupLine($"[green]rebuilt[/] namespace [bold]{Markup.Escape(n)}[/]");
            if (legacy is not null)
            {
                var entry = services.Namespaces.Get(n);
                context.Error.MarkupLine(
                    $"[yellow]notice:[/] namespace {Markup.Escape(n)} now has an image of its own, {Markup.Escape(entry.Image)}; the old {Markup.Escape(legacy)} " +
                    $"(a name every user of this engine shares) was left in case someone else still uses it. Remove it when no one does: {(services.Runtime.Identity.Kind == Airlock.Engine.Identity.EngineKind.Docker ? "docker" : "podman")} rmi {Markup.Escape(legacy)}");
            }
            return ExitCodes.Ok;
        });
        return new Command("rebuild", "Rebuild a namespace's image.") { ns };
    }

    public static Command Delete(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The namespace to delete." };
        var force = new Option<bool>("--force", "-f") { Description = "Do not ask." };
        var ns = new Command("namespace", "Delete a namespace: its home, image, config entry, and its build dir when in the default place.") { name, force };
        ns.WithHelp("A buildDir outside ~/.airlock/containers is yours and is left alone.", "airlock delete namespace work", "airlock delete namespace work --force");
        ns.SetAction(async (parse, ct) =>
        {
            using var services = await LauncherServices.ConnectAsync(context, ct);
            var n = parse.GetRequiredValue(name);
            var entry = services.Namespaces.Get(n);
            if (!parse.GetValue(force))
            {
                if (!context.Error.Profile.Capabilities.Interactive || System.Console.IsInputRedirected)
                {
                    throw new LauncherException($"deleting namespace '{n}' removes its home ({services.Paths.Contract(services.Paths.NamespaceHome(n))}) with every login and file in it; pass --force to confirm");
                }

                if (!context.Error.Confirm($"Delete namespace [bold]{Markup.Escape(n)}[/], its home {Markup.Escape(services.Paths.Contract(services.Paths.NamespaceHome(n)))} and image {Markup.Escape(entry.Image)}?", defaultValue: false))
                {
                    context.Error.WriteLine("nothing deleted");
                    return ExitCodes.Ok;
                }
            }

            await services.Namespaces.DeleteAsync(n, ct);
            context.Out.MarkupLine($"[green]deleted[/] namespace [bold]{Markup.Escape(n)}[/]");
            return ExitCodes.Ok;
        });

        var tName = new Argument<string>("NAME") { Description = "The user template to delete." };
        var template = new Command("template", "Delete a user template (a baked-in one of the same name shows again).") { tName };
        template.SetAction(parse =>
        {
            var paths = AirlockPaths.FromEnvironment(context.GetVariable);
            var t = parse.GetRequiredValue(tName);
            var dir = new TemplateCatalog(paths).UserDir(t);
            if (!Directory.Exists(dir))
            {
                throw new LauncherException(BakedInTemplates.Exists(t)
                    ? $"'{t}' is a baked-in template and cannot be deleted"
                    : $"no user template named '{t}' (airlock list templates)");
            }

            Directory.Delete(dir, recursive: true);
            context.Out.MarkupLine($"[green]deleted[/] template [bold]{Markup.Escape(t)}[/]");
            return ExitCodes.Ok;
        });
        return new Command("delete", "Delete a namespace or a user template.") { ns, template };
    }
}
