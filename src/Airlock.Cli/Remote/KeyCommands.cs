using System.CommandLine;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;
using Spectre.Console;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary><c>airlock key ...</c>: API keys of a tenant (its admins, or a system admin) or of the system (system admins).</summary>
public static class KeyCommands
{
    public static Command Create(CliContext context)
    {
        var command = new Command("key", "Create, list and revoke API keys on an Airlock server.")
        {
            CreateCommand(context), ListCommand(context), RevokeCommand(context),
        };
        command.WithHelp(
            """
            Every key belongs to a tenant (--tenant T) with a role: viewer (read), operator (run sandboxes) or admin (also
            the tenant's keys). System keys (--system) are admins of the whole server. A key's secret is shown once, when it
            is created; the server keeps only its hash. A revoked key is refused from then on.
            """,
            "airlock key create --tenant acme --name ci --role operator",
            "export AIRLOCK_TOKEN=$(airlock key create --tenant acme --name me --role admin)",
            "airlock key list --tenant acme",
            "airlock key revoke k0123456789abcdef --tenant acme");
        return command;
    }

    private static Command CreateCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var owner = new Owner();
        var name = new Option<string>("--name") { Description = "What the key is for (shown in listings).", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, operator or admin (system keys are admin).", DefaultValueFactory = _ => "operator" };
        var command = remote.AddTo(new Command("create", "Create a key; prints its secret, shown this once.") { name, role });
        owner.AddTo(command);
        command.WithHelp(
            "The key alone goes to stdout (so KEY=$(airlock key create ...) works); what it is goes to stderr. --json prints id, tenant, role, name and key.",
            "airlock key create --tenant acme --name ci --role operator",
            "airlock key create --system --name second-admin");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = owner.Tenant(parse);
            var requestedRole = owner.IsSystem(parse) && parse.GetResult(role) is null ? "admin" : parse.GetValue(role)!;
            using var server = remote.Connect(context, parse);
            var created = await server.CallAsync(c => c.Keys.CreateAsync(tenant, parse.GetRequiredValue(name), requestedRole, ct), Owner.NotFoundFix);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, created, RemoteOutputJson.Default.CreatedApiKey);
            }
            else
            {
                context.Error.WriteLine($"key {created.Id} ({created.Role}, {(created.Tenant is { } t ? "tenant " + t : "system")}): the secret below is shown this once");
                context.Out.Profile.Out.Writer.WriteLine(created.Key);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var owner = new Owner();
        var command = remote.AddTo(new Command("list", "List keys (never their secrets), revoked ones included."));
        command.Aliases.Add("ls");
        owner.AddTo(command);
        command.WithHelp(null, "airlock key list --tenant acme", "airlock key list --system --json");
        command.SetAction(async (parse, ct) =>
        {
            var tenant = owner.Tenant(parse);
            using var server = remote.Connect(context, parse);
            var keys = await server.CallAsync(c => c.Keys.ListAsync(tenant, ct), Owner.NotFoundFix);
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, keys, RemoteOutputJson.Default.ListApiKey);
            }
            else if (keys.Count == 0)
            {
                context.Out.WriteLine("no keys: airlock key create --name NAME --role ROLE " + (owner.IsSystem(parse) ? "--system" : "--tenant TENANT"));
            }
            else
            {
                var table = RemoteOutput.Table("KEY", "NAME", "ROLE", "TENANT", "CREATED", "REVOKED");
                foreach (var k in keys)
                {
                    table.AddRow(
                        Markup.Escape(k.Id), Markup.Escape(k.Name), Markup.Escape(k.Role), Markup.Escape(k.Tenant ?? "(system)"),
                        RemoteOutput.Time(k.CreatedAt), k.RevokedAt is { } r ? RemoteOutput.Time(r) : "-");
                }

                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RevokeCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var owner = new Owner();
        var id = new Argument<string>("KEY_ID") { Description = "The key's id (k..., as `airlock key list` shows; not the secret)." };
        var command = remote.AddTo(new Command("revoke", "Revoke a key: it is refused from now on (tokens minted from it last until they expire).") { id }, json: false);
        owner.AddTo(command);
        command.WithHelp(null, "airlock key revoke k0123456789abcdef --tenant acme", "airlock key revoke k0123456789abcdef --system");
        command.SetAction(async (parse, ct) =>
        {
            var keyId = parse.GetRequiredValue(id);
            if (keyId.StartsWith("alk_", StringComparison.Ordinal))
            {
                throw new UserInputException("KEY_ID is a key's secret, not its id", "give the id (k...) that `airlock key list` shows; never paste secrets into command lines");
            }

            var tenant = owner.Tenant(parse);
            using var server = remote.Connect(context, parse);
            await server.CallAsync(c => c.Keys.RevokeAsync(tenant, keyId, ct), "see `airlock key list` for the active keys' ids");
            context.Out.WriteLine($"revoked key {keyId}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Whose keys: <c>--tenant T</c> or <c>--system</c>, exactly one.</summary>
    private sealed class Owner
    {
        public const string NotFoundFix = "check the tenant's id: `airlock tenant list`";

        private readonly Option<string?> _tenant = new("--tenant", "-t") { Description = "The tenant whose keys these are." };
        private readonly Option<bool> _system = new("--system") { Description = "System admin keys instead of a tenant's." };

        public void AddTo(Command command)
        {
            command.Options.Add(_tenant);
            command.Options.Add(_system);
        }

        public bool IsSystem(ParseResult parse) => parse.GetValue(_system);

        /// <summary>The tenant, or null for the system's keys.</summary>
        public string? Tenant(ParseResult parse) => (parse.GetValue(_tenant), IsSystem(parse)) switch
        {
            ({ } tenant, false) => tenant,
            (null, true) => null,
            (null, false) => throw new UserInputException("whose keys? neither --tenant nor --system was given", "add --tenant TENANT for a tenant's keys, or --system for system admin keys"),
            _ => throw new UserInputException("--tenant and --system were both given", "keep one: --tenant TENANT for a tenant's keys, --system for system admin keys"),
        };
    }
}
