using System.CommandLine;
using Airlock.Cli.Help;
using Spectre.Console;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary><c>airlock snapshot list|delete</c>: the tenant's snapshots (made with <c>airlock sandbox snapshot</c>).</summary>
public static class SnapshotCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("snapshot", "List and delete snapshots of sandboxes on an Airlock server.")
        {
            ListCommand(context), DeleteCommand(context),
        };
        command.WithHelp("A snapshot is a sandbox's filesystem saved as an image: `airlock sandbox snapshot SANDBOX --name N` makes one.",
            "airlock snapshot list", "airlock snapshot delete snap-id");
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print ids only, one per line." };
        var command = remote.AddTo(new Command("list", "List the tenant's snapshots.") { quiet });
        command.Aliases.Add("ls");
        command.WithHelp(null, "airlock snapshot list", "airlock snapshot list --json");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var snapshots = await server.CallAsync(async c => await c.Snapshots.ListAsync(ct).ToListAsync(ct));
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, snapshots, RemoteOutputJson.Default.ListSnapshot);
            }
            else if (parse.GetValue(quiet))
            {
                snapshots.ForEach(s => context.Out.WriteLine(s.Id));
            }
            else if (snapshots.Count == 0)
            {
                context.Out.WriteLine("no snapshots yet: airlock sandbox snapshot SANDBOX --name NAME");
            }
            else
            {
                var table = RemoteOutput.Table("SNAPSHOT", "NAME", "SANDBOX", "IMAGE", "CREATED");
                snapshots.ForEach(s => table.AddRow(Markup.Escape(s.Id), Markup.Escape(s.Name), Markup.Escape(s.SandboxId), Markup.Escape(s.Image), RemoteOutput.Time(s.CreatedAt)));
                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("SNAPSHOT") { Description = "The snapshot's id, as `airlock snapshot list` shows." };
        var command = remote.AddTo(new Command("delete", "Delete a snapshot (its image goes with it).") { id }, json: false);
        command.Aliases.Add("rm");
        command.WithHelp(null, "airlock snapshot delete snap-id");
        command.SetAction(async (parse, ct) =>
        {
            var snapshot = parse.GetRequiredValue(id);
            using var server = remote.Connect(context, parse);
            await server.CallAsync(c => c.Snapshots.DeleteAsync(snapshot, ct), "see `airlock snapshot list` for the tenant's snapshots");
            context.Out.WriteLine($"deleted snapshot {snapshot}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
