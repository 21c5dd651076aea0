using System.CommandLine;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;
using Spectre.Console;
using Airlock.Client;

namespace Airlock.Cli.Remote;

/// <summary>
/// <c>airlock secret ...</c>: a tenant's secrets on an <c>airlock serve</c> (a tenant admin key, or a system admin key
/// with --tenant). A value is read from a variable, a file or stdin, never from a flag (it would be in the shell's
/// history and in every process listing), and no command ever prints one: the server never answers with it.
/// </summary>
public static class SecretCommands
{
    private const string ListFix = "see `airlock secret list` for the tenant's secrets";

    public static Command Create(CliContext context)
    {
        var command = new Command("secret", "Set, list and delete a tenant's secrets on an Airlock server: values its sandboxes use without ever holding them.")
        {
            SetCommand(context), ListCommand(context), DeleteCommand(context),
        };
        command.WithHelp(
            """
            A secret is a value (an API key, a token) that an allowlist sandbox created with `--secret NAME` never sees:
            its variable holds a placeholder, and the sandbox's egress proxy on the server puts the value into requests
            to the secret's hosts (as a bearer token, the password of HTTP Basic, or a header of its own). The server
            keeps the value encrypted and never shows it again. Needs a tenant admin key (or a system admin key with
            --tenant); without --tenant, the key's own tenant.
            """,
            "export OPENAI_API_KEY=sk-...   # then:",
            "airlock secret set OPENAI_API_KEY --host api.openai.com --value-from-env OPENAI_API_KEY",
            "airlock secret set ANTHROPIC_API_KEY --host api.anthropic.com --inject header:x-api-key --value-from-file ~/.anthropic-key",
            "airlock secret list",
            "airlock sandbox create agent --image localhost/airlock-base:bookworm --network allowlist --allow api.openai.com --secret OPENAI_API_KEY -- sleep infinity",
            "airlock secret delete OPENAI_API_KEY");
        return command;
    }

    private static Command SetCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var tenant = TenantOption();
        var name = new Argument<string>("NAME") { Description = "The secret's name: letters, digits and _, not starting with a digit (as OPENAI_API_KEY)." };
        var hosts = EgressAllowOption.Create("--host", "A host the value may be sent to.");
        hosts.Required = true;
        var inject = new Option<string?>("--inject")
        {
            Description = "Where the value goes in a request: bearer (Authorization: Bearer VALUE, the default), basic (the password of HTTP Basic) or header:NAME (a header of its own, e.g. header:x-api-key).",
            HelpName = "PLACE",
        };
        var variable = new Option<string?>("--variable") { Description = "The variable a sandbox sees the placeholder in (default: NAME).", HelpName = "VAR" };
        var fromEnv = new Option<string?>("--value-from-env") { Description = "Read the value from this environment variable of this process.", HelpName = "VAR" };
        var fromFile = new Option<string?>("--value-from-file") { Description = "Read the value from this file (a final newline is dropped).", HelpName = "PATH" };
        var fromStdin = new Option<bool>("--value-from-stdin") { Description = "Read the value from stdin to its end (a final newline is dropped)." };
        var command = remote.AddTo(new Command("set", "Create a secret, or replace one of the same name (a new value, other hosts).") { name, hosts, inject, variable, fromEnv, fromFile, fromStdin, tenant });
        command.WithHelp(
            "Exactly one of --value-from-env, --value-from-file or --value-from-stdin gives the value: there is no flag for the value itself. Setting a secret that "
            + "exists replaces it; running sandboxes given it use the new value from their next connection. The hosts must be within the tenant's egress ceiling.",
            "airlock secret set OPENAI_API_KEY --host api.openai.com --value-from-env OPENAI_API_KEY",
            "airlock secret set GH_TOKEN --host github.com --host api.github.com --inject basic --value-from-file ~/.config/gh-token",
            "pass show anthropic | airlock secret set ANTHROPIC_API_KEY --host api.anthropic.com --inject header:x-api-key --value-from-stdin",
            "airlock secret set OPENAI_API_KEY --tenant acme --variable OPENAI_KEY --host api.openai.com --value-from-env OPENAI_API_KEY   # a system admin key");
        command.SetAction(async (parse, ct) =>
        {
            var value = await ReadValueAsync(context, parse.GetValue(fromEnv), parse.GetValue(fromFile), parse.GetValue(fromStdin), ct);
            var body = new SetSecretBody(parse.GetRequiredValue(name), value, EgressAllowOption.Read(parse, hosts), parse.GetValue(inject), parse.GetValue(variable));
            using var server = remote.Connect(context, parse);
            var owner = await TenantAsync(server, parse.GetValue(tenant), ct);
            var secret = await server.CallAsync(c => c.Secrets.SetAsync(owner, body, ct), "check the tenant's id: `airlock tenant list`");
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, secret, RemoteOutputJson.Default.SecretInfo);
            }
            else
            {
                var isNew = secret.CreatedAt == secret.UpdatedAt;
                context.Out.WriteLine($"secret {secret.Name} of tenant {owner} {(isNew ? "created" : "replaced")}: sandboxes see a placeholder in {secret.Variable}; "
                    + $"the value goes to {string.Join(", ", secret.Hosts)} as {secret.Inject}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var tenant = TenantOption();
        var command = remote.AddTo(new Command("list", "List a tenant's secrets: names, variables, hosts, where they go; never values.") { tenant });
        command.Aliases.Add("ls");
        command.WithHelp(null, "airlock secret list", "airlock secret list --tenant acme --json");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var owner = await TenantAsync(server, parse.GetValue(tenant), ct);
            var secrets = await server.CallAsync(c => c.Secrets.ListAsync(owner, ct), "check the tenant's id: `airlock tenant list`");
            if (remote.WantsJson(parse))
            {
                RemoteOutput.Json(context, secrets, RemoteOutputJson.Default.ListSecretInfo);
            }
            else if (secrets.Count == 0)
            {
                context.Out.WriteLine($"tenant {owner} has no secrets: airlock secret set NAME --host HOST --value-from-env VAR");
            }
            else
            {
                var table = RemoteOutput.Table("NAME", "VARIABLE", "HOSTS", "INJECT", "UPDATED");
                foreach (var s in secrets)
                {
                    table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Variable), Markup.Escape(string.Join(", ", s.Hosts)), Markup.Escape(s.Inject), RemoteOutput.Time(s.UpdatedAt));
                }

                context.Out.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command DeleteCommand(CliContext context)
    {
        var remote = new RemoteOptions();
        var tenant = TenantOption();
        var names = new Argument<string[]>("NAME") { Description = "The secrets to delete.", Arity = ArgumentArity.OneOrMore };
        var command = remote.AddTo(new Command("delete", "Delete secrets: sandboxes given them stop getting their values from their next connection.") { names, tenant }, json: false);
        command.Aliases.Add("rm");
        command.WithHelp(null, "airlock secret delete OPENAI_API_KEY", "airlock secret delete OPENAI_API_KEY GH_TOKEN --tenant acme");
        command.SetAction(async (parse, ct) =>
        {
            using var server = remote.Connect(context, parse);
            var owner = await TenantAsync(server, parse.GetValue(tenant), ct);
            foreach (var name in parse.GetRequiredValue(names))
            {
                await server.CallAsync(c => c.Secrets.DeleteAsync(owner, name, ct), ListFix);
                context.Out.WriteLine($"deleted secret {name} of tenant {owner}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Option<string?> TenantOption() => new("--tenant", "-t") { Description = "The tenant whose secrets these are (default: the one tenant the key sees, a tenant key's own; a system admin key names one)." };

    /// <summary>
    /// <paramref name="given"/>, else the one tenant the key sees (a tenant key sees its own): a system key sees them all
    /// and must name one.
    /// </summary>
    private static async Task<string> TenantAsync(ServerConnection server, string? given, CancellationToken ct)
    {
        if (given is not null)
        {
            return given;
        }

        var tenants = await server.CallAsync(c => c.Tenants.ListAsync(ct));
        return tenants.Count == 1
            ? tenants[0].Id
            : throw new UserInputException(
                $"whose secrets? --tenant was not given, and this key sees {(tenants.Count == 0 ? "no tenant" : $"{tenants.Count} tenants")}",
                "add --tenant TENANT (a system admin key manages every tenant's secrets; a tenant admin key needs no --tenant)");
    }

    /// <summary>The value from exactly one source; a final newline (of a file, or of echo into stdin) is not part of it.</summary>
    private static async Task<string> ReadValueAsync(CliContext context, string? variable, string? file, bool stdin, CancellationToken ct)
    {
        var given = (variable is not null ? 1 : 0) + (file is not null ? 1 : 0) + (stdin ? 1 : 0);
        if (given != 1)
        {
            throw new UserInputException(
                given == 0 ? "where is the value? none of --value-from-env, --value-from-file or --value-from-stdin was given" : "the value is given more than once",
                "give exactly one: --value-from-env VAR, --value-from-file PATH or --value-from-stdin (there is no flag for the value itself: it would be in your shell history and visible to `ps`)");
        }

        string value;
        if (variable is not null)
        {
            value = context.GetVariable(variable) is { Length: > 0 } set
                ? set
                : throw new UserInputException($"--value-from-env {variable}: the variable is not set (or empty)", $"export {variable}=... first, or read the value from a file or stdin");
        }
        else if (file is not null)
        {
            try
            {
                value = await File.ReadAllTextAsync(file, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UserInputException($"--value-from-file {file}: {ex.Message}", "give a file this user can read that holds the value");
            }
        }
        else
        {
            if (!System.Console.IsInputRedirected)
            {
                context.Error.WriteLine("reading the value from stdin; end it with Ctrl-D");
            }

            value = await System.Console.In.ReadToEndAsync(ct);
        }

        value = value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;
        return value.Length > 0
            ? value
            : throw new UserInputException($"the value read from {(variable is not null ? "--value-from-env" : file is not null ? $"--value-from-file {file}" : "stdin")} is empty", "give the secret's value there");
    }
}
