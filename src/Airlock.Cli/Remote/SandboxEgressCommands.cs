using System.CommandLine;
using System.Globalization;
using Airlock.Cli.Commands;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;
using Spectre.Console;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary>
/// <c>airlock sandbox egress</c> and <c>airlock sandbox network</c>: what an allowlist sandbox on the server reached or
/// was refused, and changing its destinations while it runs.
/// </summary>
public static class SandboxEgressCommands
{
    /// <summary>The server's largest page of egress records: fewer round trips for a long history.</summary>
    private const int PageSize = 500;

    public static Command EgressCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxCommands.SandboxArgument();
        var limit = new Option<int?>("--limit") { Description = "Only the first (oldest) N records.", HelpName = "N" };
        var tail = new Option<int?>("--tail") { Description = "Only the last (newest) N records.", HelpName = "N" };
        var command = remote.AddTo(new Command("egress", "List the connections an allowlist sandbox made through its egress proxy, allowed and refused, oldest first.") { id, limit, tail });
        command.WithHelp(
            "Every page, unless --limit or --tail says otherwise; the server keeps a sandbox's latest 10 000 records. "
            + "DESTINATION is what the sandbox asked for ('-' for a connection that closed before naming one). "
            + "A refused destination the sandbox needs can be let through with `airlock sandbox network`. "
            + "--json prints one array of the records as the server sends them (time, host, port, address, protocol, verdict, reason, bytesUp, bytesDown, durationMs).",
            "airlock sandbox egress build-1",
            "airlock sandbox egress build-1 --tail 20",
            "airlock sandbox egress build-1 --json | jq -r '.[] | select(.verdict == \"refused\") | .host' | sort -u");
        command.SetAction(async (parse, ct) =>
        {
            var first = parse.GetValue(limit);
            var last = parse.GetValue(tail);
            if (first is < 1 || last is < 1)
            {
                var (flag, value) = first is < 1 ? ("--limit", first) : ("--tail", last);
                throw new UserInputException($"{flag} {value} is not a record count", $"give 1 or more, e.g. {flag} 50");
            }

            if (first is not null && last is not null)
            {
                throw new UserInputException("--limit and --tail both given: the first N records or the last N, not both", "keep one of them");
            }

            using var server = remote.Connect(context, parse);
            var sandbox = await SandboxCommands.ResolveAsync(server, parse.GetRequiredValue(id), ct);
            var records = await ListAsync(server, sandbox.Id, first, ct);
            if (last is { } n && records.Count > n)
            {
                records = records[^n..];
            }

            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, records, RemoteOutputJson.Default.ListSandboxEgressRecord);
            }
            else if (records.Count == 0)
            {
                context.Out.WriteLine(sandbox.Network?.Mode is "allowlist"
                    ? $"no egress records for sandbox {sandbox.Name} yet: it has made no connection out"
                    : $"no egress records for sandbox {sandbox.Name}: its network is {sandbox.Network?.Mode ?? "none"}, and only allowlist sandboxes' connections go through a proxy that records them");
            }
            else
            {
                var table = RemoteOutput.Table("TIME", "PROTOCOL", "DESTINATION", "VERDICT", "REASON", "UP", "DOWN", "DURATION");
                foreach (var r in records)
                {
                    table.AddRow(
                        RemoteOutput.Time(r.Time), Markup.Escape(r.Protocol), Markup.Escape(Destination(r)),
                        r.Verdict == "refused" ? "[red]refused[/]" : Markup.Escape(r.Verdict),
                        Markup.Escape(r.Reason), RemoteOutput.Bytes(r.BytesUp), RemoteOutput.Bytes(r.BytesDown), Duration(r.DurationMs));
                }

                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command NetworkCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = SandboxCommands.SandboxArgument();
        var allow = EgressAllowOption.Create("--allow", "A destination the sandbox may reach from now on; the list given replaces the one it had.");
        var none = new Option<bool>("--no-allow") { Description = "Take every destination away: the sandbox reaches nothing (its connections are still recorded)." };
        var command = remote.AddTo(new Command("network", "Replace the destinations a running allowlist sandbox may reach, without restarting it.") { id, allow, none });
        command.WithHelp(
            "Give every destination the sandbox keeps, not only the new ones (`airlock sandbox get` shows the current list). "
            + "Connections from then on are checked against the new list; open ones keep going. The tenant's egress ceiling bounds it "
            + "(`airlock tenant egress`), and only an allowlist sandbox can be changed: for another mode, create the sandbox again.",
            "airlock sandbox network fenced --allow github.com --allow registry.npmjs.org",
            "airlock sandbox network fenced --allow 'github.com,*.githubusercontent.com'",
            "airlock sandbox network fenced --no-allow");
        command.SetAction(async (parse, ct) =>
        {
            var destinations = EgressAllowOption.Read(parse, allow);
            var empty = parse.GetValue(none);
            if (destinations.Count == 0 && !empty)
            {
                throw new UserInputException("no destinations: give the whole new list with --allow", "add --allow DEST for each destination the sandbox may reach (or --no-allow to take them all away)");
            }

            if (destinations.Count > 0 && empty)
            {
                throw new UserInputException("--allow and --no-allow both given", "keep --allow with the destinations the sandbox may reach, or --no-allow alone for none");
            }

            using var server = remote.Connect(context, parse);
            var sandbox = await SandboxCommands.ResolveAsync(server, parse.GetRequiredValue(id), ct);
            var after = await server.CallAsync(c => c.Sandboxes.SetNetworkAsync(sandbox.Id, new SandboxNetwork("allowlist", destinations), ct), SandboxCommands.ListFix);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, after, RemoteOutputJson.Default.Sandbox);
            }
            else if (after.Network?.Allow is { Count: > 0 } reach)
            {
                context.Out.WriteLine($"sandbox {after.Name} ({after.Id}) may now reach:");
                foreach (var destination in reach)
                {
                    context.Out.WriteLine("  " + destination);
                }
            }
            else
            {
                context.Out.WriteLine($"sandbox {after.Name} ({after.Id}) may now reach nothing");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The sandbox's records, oldest first: every page, or the first <paramref name="limit"/>.</summary>
    private static async Task<List<SandboxEgressRecord>> ListAsync(ServerConnection server, string sandboxId, int? limit, CancellationToken ct)
    {
        var all = new List<SandboxEgressRecord>();
        string? token = null;
        do
        {
            var size = Math.Min(PageSize, (limit ?? int.MaxValue) - all.Count);
            var page = await server.CallAsync(c => c.Sandboxes.ListEgressAsync(sandboxId, size, token, ct), SandboxCommands.ListFix);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null && all.Count < (limit ?? int.MaxValue));
        return all;
    }

    private static string Destination(SandboxEgressRecord r) =>
        r.Host.Length == 0 ? "-" : r.Host.Contains(':', StringComparison.Ordinal) ? $"[{r.Host}]:{r.Port}" : $"{r.Host}:{r.Port}";

    private static string Duration(long ms) =>
        ms < 1000 ? $"{ms} ms" : (ms / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
