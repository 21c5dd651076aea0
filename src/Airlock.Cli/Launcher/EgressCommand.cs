using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Airlock.Cli.Help;
using Airlock.Engine.Discovery;
using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Paths;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary><c>airlock egress log [NAMESPACE]</c>: the connections allowlist sessions made and were refused (docs/network.md).</summary>
public static class EgressCommand
{
    /// <summary>How often <c>--follow</c> looks for new records.</summary>
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create(CliContext context)
    {
        var ns = new Argument<string?>("NS") { Description = "Only this namespace's sessions (default: every namespace).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "One JSON object per line (the record as written), for scripts." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing records as sessions make them, until Ctrl-C." };
        var log = new Command("log", "Connections sandboxes in network allowlist mode made, allowed and refused.") { ns, json, follow };
        log.SetAction(async (parse, ct) =>
        {
            var paths = AirlockPaths.FromEnvironment(context.GetVariable);
            var name = parse.GetValue(ns);
            if (name is not null && !Directory.Exists(paths.NamespaceHome(name)) && !Directory.Exists(SessionEgress.LogDirectory(paths, name)))
            {
                context.Error.MarkupLine($"[red]error:[/] no namespace {Markup.Escape(name)}; airlock list namespaces shows them");
                return ExitCodes.UserError;
            }

            var records = new EgressRecords(paths, name);
            var asJson = parse.GetValue(json);
            var first = records.ReadNew();
            if (first.Count == 0 && !parse.GetValue(follow) && !asJson)
            {
                context.Out.WriteLine($"no egress records{(name is null ? "" : $" for namespace {name}")}: they are kept for sessions in network allowlist mode (docs/network.md)");
                return ExitCodes.Ok;
            }

            Print(context, first, asJson, name is null);
            while (parse.GetValue(follow) && !ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(FollowInterval, context.Time, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                Print(context, records.ReadNew(), asJson, name is null);
            }

            if (records.Unreadable > 0)
            {
                context.Error.MarkupLine($"[yellow]warning:[/] {records.Unreadable} line(s) in {Markup.Escape(records.Directory)} were not records (a file cut short) and were skipped");
            }

            return ExitCodes.Ok;
        });
        log.WithHelp(null, "airlock egress log work", "airlock egress log --follow", "airlock egress log work --json | jq 'select(.verdict == \"refused\")'");

        var session = new Argument<string>("SESSION") { Description = "A running allowlist session (airlock list sessions)." };
        var destinations = new Argument<string[]>("DEST") { Description = "What to let through: host, *.suffix, host:port, CIDR.", Arity = ArgumentArity.OneOrMore };
        var allow = new Command("allow", "Let a running allowlist session reach more destinations, without restarting it.") { session, destinations };
        allow.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(session)!;
            var wanted = parse.GetValue(destinations) ?? [];
            var problems = wanted
                .Select(d => EgressRule.TryParse(d, out _, out var problem) ? null : $"DEST '{d}': {problem}")
                .OfType<string>()
                .ToList();
            if (problems.Count > 0)
            {
                problems.ForEach(p => context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(p)}"));
                return ExitCodes.UserError;
            }

            var control = name.Length < 8 ? null : EgressControl.PathFor(PrivateRuntimeDirectory.For(DiscoveryEnvironment.FromProcess()), name);
            if (control is null || !File.Exists(control))
            {
                context.Error.MarkupLine($"[red]error:[/] no running allowlist session {Markup.Escape(name)} of yours; airlock list sessions shows the running ones (only sessions in network allowlist mode can be widened)");
                return ExitCodes.UserError;
            }

            foreach (var destination in wanted)
            {
                var answer = await EgressControl.AllowAsync(control, destination, ct);
                if (answer != "ok")
                {
                    context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(answer)}");
                    return ExitCodes.UserError;
                }

                context.Out.MarkupLine($"session {Markup.Escape(name)} may now reach {Markup.Escape(destination)}");
            }

            return ExitCodes.Ok;
        });
        allow.WithHelp(
            "The session's own policy grows until it ends; the namespace's config is not changed (add the destination to its network.allow for every launch).",
            "airlock egress allow airlock-work-1a2b3c4d registry.npmjs.org",
            "airlock egress allow airlock-work-1a2b3c4d '*.githubusercontent.com' github.com:22");

        var egress = new Command("egress", "What sandboxes reached through Airlock's egress proxy (network allowlist mode), and letting more through.") { log, allow };
        egress.WithHelp(null, "airlock egress log work", "airlock egress allow SESSION registry.npmjs.org");
        return egress;
    }

    private static void Print(CliContext context, IReadOnlyList<(string Namespace, EgressRecord Record)> rows, bool json, bool showNamespace)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (json)
        {
            // The console's own writer: a record is one line whatever its length, which Spectre would wrap at the width.
            var writer = context.Out.Profile.Out.Writer;
            foreach (var (_, r) in rows)
            {
                writer.WriteLine(JsonSerializer.Serialize(
                    new EgressLogLine(r.Time, r.SandboxId, r.Protocol.ToString().ToLowerInvariant(), r.Host, r.Port, r.Address?.ToString(), r.Verdict.ToString().ToLowerInvariant(), r.Reason, r.BytesUp, r.BytesDown, Math.Round(r.Duration.TotalMilliseconds, 3)),
                    EgressJson.Default.EgressLogLine));
            }

            writer.Flush();
            return;
        }

        var table = new Table().AddColumns("TIME", "SESSION", "VERDICT", "DESTINATION", "REASON", "UP", "DOWN");
        foreach (var (ns, r) in rows)
        {
            var verdict = r.Verdict == EgressVerdict.Allowed ? "[green]allowed[/]" : "[red]refused[/]";
            var destination = r.Host.Length == 0 ? "-" : new EgressDestination(r.Host, r.Port).ToString();
            table.AddRow(
                r.Time.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(showNamespace ? $"{ns}/{r.SandboxId}" : r.SandboxId),
                verdict,
                Markup.Escape(destination),
                Markup.Escape(r.Reason),
                r.BytesUp.ToString(CultureInfo.InvariantCulture),
                r.BytesDown.ToString(CultureInfo.InvariantCulture));
        }

        context.Out.Write(table);
    }
}

/// <summary>One record as <c>airlock egress log --json</c> prints it (the file's own fields).</summary>
internal sealed record EgressLogLine(
    DateTimeOffset Time, string Sandbox, string Protocol, string Host, int Port, string? Address, string Verdict, string Reason, long BytesUp, long BytesDown, double DurationMs);

/// <summary>One compact line per record (LauncherJson indents).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EgressLogLine))]
internal sealed partial class EgressJson : JsonSerializerContext;
