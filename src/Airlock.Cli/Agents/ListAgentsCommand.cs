using System.CommandLine;
using System.Text.Json;
using Airlock.Cli.Help;
using Airlock.Cli.Launcher;
using Airlock.Launcher;
using Airlock.Launcher.Agents;
using Spectre.Console;

namespace Airlock.Cli.Agents;

/// <summary>
/// <c>airlock list agents [--namespace NS]</c>: which agents the namespace's image has, and their versions, from the
/// manifest the cli-agents template writes at build time (one created container, nothing started).
/// </summary>
public static class ListAgentsCommand
{
    public static Command Create(CliContext context, Option<bool> json, Option<bool> quiet)
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = $"The namespace (default: {AgentCatalog.DefaultNamespace}).", HelpName = "NS" };
        var agents = new Command("agents", "Agents installed in an agents namespace, with their versions.") { ns };
        agents.Aliases.Add("agent");
        agents.WithHelp(
            "Reads the agent manifest the cli-agents template writes into the image when it is built. With --quiet, prints the installed agents' names.",
            "airlock list agents",
            "airlock list agents --namespace work --json",
            "airlock list agents -q");
        agents.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(ns) ?? AgentCatalog.DefaultNamespace;
            using var services = await LauncherServices.ConnectAsync(context, ct);
            if (!services.Namespaces.LoadConfig().Namespaces.TryGetValue(name, out var entry))
            {
                throw new LauncherException(name == AgentCatalog.DefaultNamespace
                    ? $"namespace '{name}' does not exist yet. `airlock run AGENT` creates it on first use, or create it now: airlock create namespace {name} {AgentCatalog.Template}"
                    : $"no namespace named '{name}'. See: airlock list namespaces");
            }

            if (await services.Runtime.TryInspectImageAsync(entry.Image, ct) is null)
            {
                throw new LauncherException($"the image {entry.Image} of namespace '{name}' is missing; rebuild it with: airlock rebuild namespace {name}");
            }

            var manifest = await AgentManifestReader.ReadAsync(services.Runtime, entry.Image, ct);
            var rows = (manifest ?? new AgentManifest(null, new Dictionary<string, string>())).Agents
                .Select(a => new InstalledAgent(a.Agent.Name, a.Agent.DisplayName, a.Agent.Binary, a.Agent.Package, a.Version is not null, a.Version))
                .ToList();
            var listing = new AgentListing(name, entry.Image, manifest is not null, manifest?.NodeVersion, rows);
            if (parse.GetValue(quiet))
            {
                rows.Where(r => r.Installed).ToList().ForEach(r => context.Out.WriteLine(r.Name));
            }
            else if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(listing, AgentJson.Default.AgentListing));
            }
            else
            {
                Render(context, listing, entry.Template);
            }

            return ExitCodes.Ok;
        });
        return agents;
    }

    private static void Render(CliContext context, AgentListing listing, string? template)
    {
        var table = new Table().AddColumns("AGENT", "VERSION", "PACKAGE", "RUN WITH");
        foreach (var row in listing.Agents)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                row.Version is { } v ? Markup.Escape(v) : "[grey]not installed[/]",
                Markup.Escape(row.Package),
                row.Installed ? Markup.Escape($"airlock run {(listing.Namespace == AgentCatalog.DefaultNamespace ? "" : $"-n {listing.Namespace} ")}{row.Name}") : "");
        }

        context.Out.Write(table);
        if (!listing.HasManifest)
        {
            context.Error.MarkupLine(
                $"[yellow]notice:[/] image {Markup.Escape(listing.Image)} has no agent manifest ({AgentManifest.PathInImage}): namespace '{Markup.Escape(listing.Namespace)}' "
                + $"was made from template '{Markup.Escape(template ?? "unknown")}', not {AgentCatalog.Template}. Rebuild it with: "
                + $"airlock rebuild namespace {Markup.Escape(listing.Namespace)} --template {AgentCatalog.Template}");
        }
        else if (listing.NodeVersion is { } node)
        {
            context.Out.WriteLine($"namespace {listing.Namespace} ({listing.Image}), Node {node}");
        }
    }
}
