using System.CommandLine;
using System.Text.Json;
using Airlock.Cli.Help;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Templates;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary><c>airlock list namespaces|sessions|templates</c>, as tables or <c>--json</c>.</summary>
public static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts.", Recursive = true };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print names only, one per line.", Recursive = true };

        var namespaces = new Command("namespaces", "Namespaces in ~/.airlock/config.yaml, with their image and home.");
        namespaces.Aliases.Add("namespace");
        namespaces.SetAction(async (parse, ct) =>
        {
            using var services = await LauncherServices.ConnectAsync(context, ct);
            var list = await services.Namespaces.ListAsync(ct);
            if (parse.GetValue(quiet))
            {
                list.ToList().ForEach(n => context.Out.WriteLine(n.Name));
            }
            else if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(
                    list.Select(n => new ListedNamespace(n.Name, n.Config.Image, n.Config.Template, n.Config.BuildDir, n.ImagePresent, n.HomePresent)).ToList(),
                    LauncherJson.Default.ListListedNamespace));
            }
            else if (list.Count == 0)
            {
                context.Out.WriteLine("no namespaces yet: `airlock` creates 'default', or: airlock create namespace NAME [TEMPLATE]");
            }
            else
            {
                var table = new Table().AddColumns("NAMESPACE", "TEMPLATE", "IMAGE", "BUILD DIR");
                foreach (var n in list)
                {
                    table.AddRow(
                        Markup.Escape(n.Name),
                        Markup.Escape(n.Config.Template ?? "-"),
                        n.ImagePresent ? Markup.Escape(n.Config.Image) : $"[red]{Markup.Escape(n.Config.Image)} (missing)[/]",
                        Markup.Escape(n.Config.BuildDir));
                }

                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });

        var sessions = new Command("sessions", "Running sandboxes started by airlock (from the engine's labels).");
        sessions.Aliases.Add("session");
        sessions.SetAction(async (parse, ct) =>
        {
            using var services = await LauncherServices.ConnectAsync(context, ct);
            var found = await services.Runtime.ListAsync(new SandboxOwner { Role = SandboxOwner.Roles.Launcher }, runningOnly: true, ct);
            var rows = found.Select(c => new ListedSession(c.Name, c.Owner.Namespace ?? "?", c.Owner.Project ?? "?", c.Status ?? c.State, c.Created, c.Isolation)).ToList();
            if (parse.GetValue(quiet))
            {
                rows.ForEach(r => context.Out.WriteLine(r.Session));
            }
            else if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(rows, LauncherJson.Default.ListListedSession));
            }
            else if (rows.Count == 0)
            {
                context.Out.WriteLine("no running sessions");
            }
            else
            {
                var table = new Table().AddColumns("SESSION", "NAMESPACE", "PROJECT", "ISOLATION", "STATUS");
                rows.ForEach(r => table.AddRow(Markup.Escape(r.Session), Markup.Escape(r.Namespace), Markup.Escape(r.Project), IsolationLevels.Name(r.Isolation), Markup.Escape(r.Status)));
                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });

        var templates = new Command("templates", "Baked-in and user templates (user ones shadow baked-in ones of the same name).");
        templates.Aliases.Add("template");
        templates.SetAction(parse =>
        {
            var list = new TemplateCatalog(AirlockPaths.FromEnvironment(context.GetVariable)).List();
            if (parse.GetValue(quiet))
            {
                list.ToList().ForEach(t => context.Out.WriteLine(t.Name));
            }
            else if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(
                    list.Select(t => new ListedTemplate(t.Name, t.Kind == TemplateKind.User ? "user" : "baked-in", t.Description, t.ShadowsBakedIn)).ToList(),
                    LauncherJson.Default.ListListedTemplate));
            }
            else
            {
                var table = new Table().AddColumns("TEMPLATE", "SOURCE", "DESCRIPTION");
                foreach (var t in list)
                {
                    var source = t.Kind == TemplateKind.User ? (t.ShadowsBakedIn ? "user (shadows baked-in)" : "user") : "baked-in";
                    table.AddRow(Markup.Escape(t.Name), source, Markup.Escape(t.Description ?? ""));
                }

                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });

        var list = new Command("list", "List namespaces, sessions, templates or agents.") { json, quiet, namespaces, sessions, templates, Agents.ListAgentsCommand.Create(context, json, quiet) };
        list.WithHelp(null, "airlock list namespaces", "airlock list sessions --json", "airlock list templates", "airlock list agents");
        return list;
    }
}
