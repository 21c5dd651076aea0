using System.CommandLine;
using Airlock.Cli.Commands;
using Airlock.Cli.Help;
using Spectre.Console;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary><c>airlock tenant ...</c>: the server's tenants, their quotas, isolation levels and egress ceilings (a system admin key; a tenant key sees its own).</summary>
public static class TenantCommands
{
    private const string ListFix = "see `airlock tenant list` for the tenants this key can see";

    public static Command Create(CliContext context)
    {
        var command = new Command("tenant", "Create, list, re-quota, set the isolation levels and egress ceiling of and delete tenants on an Airlock server.")
        {
            CreateCommand(context), ListCommand(context), GetCommand(context), DeleteCommand(context), QuotaCommand(context), IsolationCommand(context), EgressCommand(context),
        };
        command.WithHelp(
            $"""
            Tenants own sandboxes and keys. Creating, re-quotaing and deleting them needs a system admin key in
            ${ServerConnection.TokenVariable} (the server's bootstrap key is one); a tenant's own keys may read their tenant.
            """,
            "airlock tenant create acme --max-sandboxes 5 --max-cpus 4 --max-memory 8g",
            "airlock tenant list",
            "airlock tenant quota acme --max-sandboxes 20 --tier premium",
            "airlock tenant isolation acme --allow-isolation gvisor",
            "airlock tenant egress acme --no-open --allow github.com --allow '*.npmjs.org'",
            "airlock tenant delete acme");
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("TENANT") { Description = "The tenant's id (used in URLs): lower-case letters, digits and '-'." };
        var display = new Option<string?>("--display-name") { Description = "A name for people (default: the id)." };
        var quota = new QuotaOptions();
        var isolation = new IsolationOptions();
        var egress = new EgressCeilingOptions("egress-");
        var command = remote.AddTo(new Command("create", "Create a tenant (system admin).") { id, display });
        quota.AddTo(command);
        isolation.AddTo(command);
        egress.AddTo(command);
        command.WithHelp(
            "Quota options left out take the server's defaults (10 sandboxes, 8 CPUs, 16 GiB; tier standard). A tenant may use every isolation level, container by default, unless told otherwise. "
            + "Its egress ceiling (see `airlock tenant egress --help`) is open with no address rules unless --egress-... options say otherwise.",
            "airlock tenant create acme",
            "airlock tenant create acme --display-name 'ACME Corp' --max-sandboxes 5 --max-cpus 4 --max-memory 8g --tier free",
            "airlock tenant create untrusted --allow-isolation gvisor",
            "airlock tenant create fenced --no-egress-open --egress-allow github.com --egress-allow '*.npmjs.org'");
        command.SetAction(async (parse, ct) =>
        {
            var q = quota.Read(parse);
            var i = isolation.Read(parse);
            var e = egress.Read(parse);
            var body = new CreateTenantBody(
                parse.GetRequiredValue(id), parse.GetValue(display), q.Tier, q with { Tier = null }, i == IsolationOptions.Unchanged ? null : i, e == EgressCeilingOptions.Unchanged ? null : e);
            using var server = remote.Connect(context, parse);
            var tenant = await server.CallAsync(c => c.Tenants.CreateAsync(body, ct));
            Print(context, remote, parse, tenant);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print ids only, one per line." };
        var command = remote.AddTo(new Command("list", "List tenants with their quota and usage.") { quiet });
        command.Aliases.Add("ls");
        command.WithHelp(null, "airlock tenant list", "airlock tenant list --json");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var tenants = await server.CallAsync(c => c.Tenants.ListAsync(ct));
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, tenants, RemoteOutputJson.Default.ListTenant);
            }
            else if (parse.GetValue(quiet))
            {
                tenants.ForEach(t => context.Out.WriteLine(t.Id));
            }
            else if (tenants.Count == 0)
            {
                context.Out.WriteLine("no tenants yet: airlock tenant create NAME");
            }
            else
            {
                var table = RemoteOutput.Table("TENANT", "NAME", "TIER", "SANDBOXES", "CPUS", "MEMORY", "CREATED");
                foreach (var t in tenants)
                {
                    table.AddRow(
                        Markup.Escape(t.Id), Markup.Escape(t.DisplayName), Markup.Escape(t.Tier),
                        $"{t.Usage.Sandboxes} / {t.Quota.MaxSandboxes}",
                        $"{RemoteOutput.Number(t.Usage.Cpus)} / {RemoteOutput.Number(t.Quota.MaxCpus)}",
                        $"{RemoteOutput.Bytes(t.Usage.MemoryBytes)} / {RemoteOutput.Bytes(t.Quota.MaxMemoryBytes)}",
                        RemoteOutput.Time(t.CreatedAt));
                }

                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command GetCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("TENANT") { Description = "The tenant's id." };
        var command = remote.AddTo(new Command("get", "Show a tenant: tier, quota and what is in use.") { id });
        command.Aliases.Add("show");
        command.WithHelp(null, "airlock tenant get acme", "airlock tenant get acme --json");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var tenant = await server.CallAsync(c => c.Tenants.GetAsync(parse.GetRequiredValue(id), ct), ListFix);
            Print(context, remote, parse, tenant);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("TENANT") { Description = "The tenant's id." };
        var command = remote.AddTo(new Command("delete", "Delete a tenant that has no sandboxes left; its keys go with it (system admin).") { id }, json: false);
        command.Aliases.Add("rm");
        command.WithHelp("A tenant with sandboxes is refused: delete them first (airlock sandbox delete, with one of the tenant's keys).", "airlock tenant delete acme");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = parse.GetRequiredValue(id);
            using var server = remote.Connect(context, parse);
            await server.CallAsync(c => c.Tenants.DeleteAsync(tenant, ct), ListFix);
            context.Out.WriteLine($"deleted tenant {tenant} and its keys");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command QuotaCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("TENANT") { Description = "The tenant's id." };
        var quota = new QuotaOptions();
        var command = remote.AddTo(new Command("quota", "Show a tenant's quota and usage; with options, change the quota or tier (system admin).") { id });
        quota.AddTo(command);
        command.WithHelp("Options left out keep their current value. Sandboxes that exist keep what they reserved.",
            "airlock tenant quota acme", "airlock tenant quota acme --max-sandboxes 20 --max-memory 32g --tier premium");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = Uri.EscapeDataString(parse.GetRequiredValue(id));
            var change = quota.Read(parse);
            using var server = remote.Connect(context, parse);
            var result = change == new QuotaBody(null, null, null, null)
                ? await server.CallAsync(c => c.Tenants.GetAsync(tenant, ct), ListFix)
                : await server.CallAsync(c => c.Tenants.SetQuotaAsync(tenant, change, ct), ListFix);
            Print(context, remote, parse, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command IsolationCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("TENANT") { Description = "The tenant's id." };
        var isolation = new IsolationOptions();
        var command = remote.AddTo(new Command("isolation", "Show the isolation levels a tenant may use; with options, change them or its default (system admin).") { id });
        isolation.AddTo(command);
        command.WithHelp(
            """
            Levels: container (an ordinary container) and gvisor (gVisor's kernel between the sandbox and the host's).
            A create that names no level gets the tenant's default; one naming a level the tenant may not use is refused.
            Allowing only gvisor forces the tenant onto it (its default becomes gvisor). Sandboxes that exist keep their level.
            """,
            "airlock tenant isolation acme",
            "airlock tenant isolation acme --allow-isolation gvisor",
            "airlock tenant isolation acme --allow-isolation container,gvisor --default-isolation gvisor");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = Uri.EscapeDataString(parse.GetRequiredValue(id));
            var change = isolation.Read(parse);
            using var server = remote.Connect(context, parse);
            var result = change == IsolationOptions.Unchanged
                ? await server.CallAsync(c => c.Tenants.GetAsync(tenant, ct), ListFix)
                : await server.CallAsync(c => c.Tenants.SetIsolationAsync(tenant, change, ct), ListFix);
            Print(context, remote, parse, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command EgressCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("TENANT") { Description = "The tenant's id." };
        var ceiling = new EgressCeilingOptions("");
        var command = remote.AddTo(new Command("egress", "Show a tenant's egress ceiling, the most network its sandboxes may have; with options, change it (system admin).") { id });
        ceiling.AddTo(command);
        command.WithHelp(
            """
            The ceiling says whether the tenant's sandboxes may be open, and what an allowlist sandbox may name: a destination
            is covered by the same host or a *.suffix above it, host:port by its host, an address or range by a range holding
            it. With open, every host name is covered too; addresses and ranges (the only way to a private or loopback
            address) always need a rule here. A create or `airlock sandbox network` beyond it is refused, naming each
            destination. Options left out keep their value; --allow replaces the list. Sandboxes that exist keep their network.
            """,
            "airlock tenant egress acme",
            "airlock tenant egress acme --no-open --allow github.com --allow '*.npmjs.org' --allow 10.1.0.0/16:5432",
            "airlock tenant egress acme --open --no-allow",
            "airlock tenant egress acme --json");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = Uri.EscapeDataString(parse.GetRequiredValue(id));
            var change = ceiling.Read(parse);
            using var server = remote.Connect(context, parse);
            var result = change == EgressCeilingOptions.Unchanged
                ? await server.CallAsync(c => c.Tenants.GetEgressAsync(tenant, ct), ListFix)
                : await server.CallAsync(c => c.Tenants.SetEgressAsync(tenant, change, ct), ListFix);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, result, RemoteOutputJson.Default.EgressCeilingBody);
            }
            else
            {
                RemoteOutput.Fields(context, [("tenant", parse.GetRequiredValue(id)), ("open", result.DescribeOpen()), ("allow", result.DescribeAllow())]);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CliContext context, RemoteOptions remote, ParseResult parse, Tenant t)
    {
        if (remote.WantsJson(parse))
        {
            RemoteOutput.Json(context, t, RemoteOutputJson.Default.Tenant);
            return;
        }

        RemoteOutput.Fields(context,
        [
            ("tenant", t.Id), ("name", t.DisplayName), ("tier", t.Tier),
            ("sandboxes", $"{t.Usage.Sandboxes} of {t.Quota.MaxSandboxes}"),
            ("cpus", $"{RemoteOutput.Number(t.Usage.Cpus)} of {RemoteOutput.Number(t.Quota.MaxCpus)}"),
            ("memory", $"{RemoteOutput.Bytes(t.Usage.MemoryBytes)} of {RemoteOutput.Bytes(t.Quota.MaxMemoryBytes)}"),
            ("isolation", t.Isolation is { Allowed: { } allowed, Default: { } level } ? $"{string.Join(", ", allowed)} (default {level})" : "container"),
            ("egress", t.Egress is { } e ? $"open: {e.DescribeOpen()}; allow: {e.DescribeAllow()}" : "open: yes; allow: (none)"),
            ("created", RemoteOutput.Time(t.CreatedAt)),
        ]);
    }

    /// <summary>--allow-isolation, --default-isolation.</summary>
    private sealed class IsolationOptions
    {
        public static readonly IsolationBody Unchanged = new(null, null);

        private readonly Option<string[]> _allow = new("--allow-isolation")
        {
            Description = "The isolation levels the tenant may use: container, gvisor (comma-separated or repeated); only gvisor forces it onto gVisor.",
            HelpName = "LEVELS",
        };

        private readonly Option<string?> _default = new("--default-isolation")
        {
            Description = "The level a create that names none gets (default: container if allowed, else the strongest allowed).",
            HelpName = "LEVEL",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(_allow);
            command.Options.Add(_default);
        }

        public IsolationBody Read(ParseResult parse)
        {
            var allowed = (parse.GetValue(_allow) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var level = parse.GetValue(_default);
            return allowed.Count == 0 && level is null ? Unchanged : new IsolationBody(allowed.Count == 0 ? null : allowed, level);
        }
    }

    /// <summary>--max-sandboxes, --max-cpus, --max-memory, --tier.</summary>
    private sealed class QuotaOptions
    {
        private readonly Option<long?> _sandboxes = new("--max-sandboxes") { Description = "Most sandboxes the tenant may have at once." };
        private readonly Option<double?> _cpus = new("--max-cpus") { Description = "CPUs all its sandboxes may reserve together." };
        private readonly Option<long?> _memory = SizeOption.Create("--max-memory", "Memory all its sandboxes may reserve together, e.g. 16g.");
        private readonly Option<string?> _tier = new("--tier") { Description = "Rate-limit tier: free, standard, premium or unlimited." };

        public void AddTo(Command command)
        {
            command.Options.Add(_sandboxes);
            command.Options.Add(_cpus);
            command.Options.Add(_memory);
            command.Options.Add(_tier);
        }

        public QuotaBody Read(ParseResult parse) =>
            new(parse.GetValue(_sandboxes), parse.GetValue(_cpus), parse.GetValue(_memory), parse.GetValue(_tier));
    }
}
