using System.CommandLine;
using Airlock.Cli.Help;

namespace Airlock.Cli.Server;

/// <summary>
/// <c>airlock serve</c>, <c>airlock migrate</c> and <c>airlock audit</c>. The command tree names only strings and the
/// runner's static methods, so building it (every airlock start) never loads the server assembly or ASP.NET Core; they
/// load when one of these commands actually runs.
/// </summary>
public static class ServerCommands
{
    public const string DatabaseVariable = "AIRLOCK_DATABASE";

    private static Option<string?> DatabaseOption() => new("--database")
    {
        Description = "Where the server's state is: a SQLite file path (default ~/.airlock/server/airlock.db), sqlite:///path, "
            + "or postgres://user:password@host[:port]/database[?sslmode=require&schema=name]. Default: $AIRLOCK_DATABASE.",
    };

    public static Command Serve(CliContext context)
    {
        var listen = new Option<string>("--listen") { Description = "http://ADDRESS:PORT to listen on (default http://127.0.0.1:8470; port 0 picks a free one)." };
        var database = DatabaseOption();
        var engine = new Option<string?>("--engine") { Description = "The engine sandboxes run on: podman, docker, unix:///path.sock or tcp://host:port (default: $AIRLOCK_ENGINE, then discovery as `airlock doctor` shows)." };
        var bootstrap = new Option<string?>("--bootstrap-key-file") { Description = "Where the first system admin key is written (0600) on a database without one (default ~/.airlock/server/bootstrap-key)." };
        var maxBody = new Option<long?>("--max-body-size") { Description = "Largest request body in bytes (default 1048576); larger ones get 413." };
        var node = new Option<string[]>("--node")
        {
            Description = "An engine node to place sandboxes on, NAME=ENDPOINT[,cpus=N][,memory=SIZE]; repeat it for each engine. "
                + "Capacity defaults to the engine's CPUs and memory. Instead of --engine.",
            AllowMultipleArgumentsPerToken = false,
        };
        var maxSnapshots = new Option<int?>("--max-snapshots") { Description = "Snapshots each tenant may keep (default 20)." };
        var allowImage = new Option<string[]>("--allow-image")
        {
            Description = "An image every tenant may name in a create, written in full: a repository (all its tags, e.g. docker.io/library/python) "
                + "or one reference (docker.io/library/python:3.12, or repository@sha256:DIGEST); repeat it. Default: the base image alone. "
                + "Templates and a tenant's own snapshots are always allowed; per tenant: PUT /v1/tenants/{tenant}/images.",
            AllowMultipleArgumentsPerToken = false,
        };
        var signingKeyFile = new Option<string?>("--signing-key-file")
        {
            Description = "The token signing keys, one per line, mode 0600 (default ~/.airlock/server/signing-key; made when missing). Servers sharing a database must share this file.",
        };
        var rotateSigningKey = new Option<bool>("--rotate-signing-key")
        {
            Description = "Put a new signing key first in the signing key file, keeping the previous one (tokens minted with it stay valid until they expire), then exit. Running servers read the file again within 5 s.",
        };
        var secretsKeyFile = new Option<string?>("--secrets-key-file")
        {
            Description = "The key that encrypts tenant secrets in the database: one line of 32 random bytes in base64, a file of the server's user, mode 0600 "
                + "(default ~/.airlock/server/secrets-key; made when missing). Or $AIRLOCK_SECRETS_KEY holds the key itself. Servers sharing a database need the same key.",
            HelpName = "PATH",
        };
        var previousSecretsKeyFile = new Option<string?>("--secrets-previous-key-file")
        {
            Description = "Rotating the secrets key: the file of the key the database was using; at start every stored value is re-encrypted under the current key (--secrets-key-file, made when missing).",
            HelpName = "PATH",
        };
        var placement = new Option<string?>("--placement") { Description = "How a node is chosen among those with room: binpack (default), spread or bestfit." };
        var command = new Command("serve", "Run the Airlock control plane: a multi-tenant HTTP API for sandboxes.")
        {
            listen, database, engine, node, placement, bootstrap, maxBody, maxSnapshots, allowImage, signingKeyFile, rotateSigningKey, secretsKeyFile, previousSecretsKeyFile,
        };
        command.WithHelp(
            """
            Serve the REST API under /v1 (OpenAPI document at /openapi/v1.json; /healthz, /readyz, /metrics) until Ctrl-C or
            SIGTERM. The database is migrated to the latest schema on start. On a database with no system admin key, one
            is made and written to the bootstrap key file (mode 0600): use it as 'Authorization: Bearer KEY' to create
            tenants and their keys. Before listening, the reconciler settles what a crash left (creates cut off, orphan
            containers, sandboxes that died meanwhile) and says what it did. Tenants may run only the images allowed with
            --allow-image (default: the base image), the templates, and their own snapshots. State (the database, the
            bootstrap and signing key files) is kept 0600 in a 0700 directory. Tenant secrets are encrypted with the secrets
            key, kept outside the database; a server started with another key than the database's refuses to start. See
            docs/serve.md.

            Exit codes: 0 stopped cleanly; 2 a bad flag, database URL, allowed image, signing key file or secrets key; 3 the
            database cannot be reached.
            """,
            "airlock serve                                   # SQLite in ~/.airlock/server, http://127.0.0.1:8470",
            "airlock serve --listen http://0.0.0.0:8470 --database postgres://airlock:secret@127.0.0.1/airlock",
            "airlock serve --node podman=unix:///run/podman/podman.sock --node docker=unix:///var/run/docker.sock,cpus=2 --placement spread",
            "airlock serve --allow-image localhost/airlock-base:bookworm --allow-image docker.io/library/python",
            "airlock serve --database postgres://airlock:secret@db/airlock --signing-key-file /etc/airlock/signing-key   # every server on a database: the same key file",
            "airlock serve --rotate-signing-key                 # new token signing key first; servers pick it up within 5 s",
            "airlock serve --secrets-key-file /etc/airlock/secrets-key   # 0600, owned by the server's user; keep a copy apart from the database's backups",
            "airlock serve --secrets-key-file /etc/airlock/secrets-key.new --secrets-previous-key-file /etc/airlock/secrets-key   # rotate: re-encrypts at start",
            "curl -H \"Authorization: Bearer $(cat ~/.airlock/server/bootstrap-key)\" http://127.0.0.1:8470/v1/tenants");
        command.SetAction((parse, ct) => ServerRunner.ServeAsync(
            context,
            parse.GetValue(listen),
            parse.GetValue(database),
            parse.GetValue(engine),
            parse.GetValue(bootstrap),
            parse.GetValue(maxBody),
            parse.GetValue(node),
            parse.GetValue(placement),
            parse.GetValue(maxSnapshots),
            parse.GetValue(allowImage),
            parse.GetValue(signingKeyFile),
            parse.GetValue(rotateSigningKey),
            parse.GetValue(secretsKeyFile),
            parse.GetValue(previousSecretsKeyFile),
            ct));
        return command;
    }

    public static Command Migrate(CliContext context)
    {
        var command = new Command("migrate", "Apply, revert or show the server database's schema version.");
        foreach (var (verb, description) in new[]
        {
            ("up", "Apply every pending migration."),
            ("down", "Revert the latest applied migration (its data is lost)."),
            ("version", "Show the schema version the database is at, and the latest this airlock knows."),
        })
        {
            var database = DatabaseOption();
            var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
            var sub = new Command(verb, description) { database, json };
            sub.WithHelp(null, $"airlock migrate {verb}", $"airlock migrate {verb} --database postgres://airlock:secret@127.0.0.1/airlock");
            sub.SetAction((parse, ct) => ServerRunner.MigrateAsync(context, verb, parse.GetValue(database), parse.GetValue(json), ct));
            command.Subcommands.Add(sub);
        }

        command.WithHelp(
            """
            The schema migrations are part of the airlock binary; `airlock serve` applies pending ones itself on start.
            Exit codes: 0 ok; 2 a bad database URL or a schema newer than this airlock; 3 the database cannot be reached.
            """,
            "airlock migrate version",
            "airlock migrate up --database postgres://airlock:secret@127.0.0.1/airlock",
            "airlock migrate down");
        return command;
    }

    public static Command Backup(CliContext context)
    {
        var database = DatabaseOption();
        var to = new Option<string>("--to") { Description = "The file to write the copy to (mode 0600); it must not exist unless --force.", Required = true, HelpName = "FILE" };
        var force = new Option<bool>("--force") { Description = "Replace the file at --to if there is one." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("backup", "Copy the server's SQLite database, consistently, while servers use it.") { database, to, force, json };
        command.WithHelp(
            """
            SQLite's online backup reads the database as of one moment, so the copy is consistent even while servers
            write to it; it is checked with SQLite's integrity check and written under a temporary name first, so a
            failed backup leaves nothing under --to. The copy holds key hashes and sealed secrets: it is written 0600.
            Keep the secrets key file (~/.airlock/server/secrets-key) apart from it: the copy's secrets need that key.

            To restore: stop the servers, then start one on the copy (airlock serve --database FILE), or put the copy
            where the database was. For PostgreSQL, use pg_dump while the servers run and pg_restore to restore.

            Exit codes: 0 copied; 2 a bad flag, a PostgreSQL database, no database there, or --to exists.
            """,
            "airlock backup --to ~/airlock-$(date +%F).db",
            "airlock backup --database /srv/airlock/airlock.db --to /backups/airlock.db --force --json");
        command.SetAction((parse, ct) => ServerRunner.BackupAsync(context, parse.GetValue(database), parse.GetRequiredValue(to), parse.GetValue(force), parse.GetValue(json), ct));
        return command;
    }

    public static Command Audit(CliContext context)
    {
        var database = DatabaseOption();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var verify = new Command("verify", "Check the audit log's hash chain; name the first entry that was changed, removed or reordered.")
        {
            database, json,
        };
        verify.WithHelp(
            """
            Every state-changing API call is appended to the audit log, each entry hashed together with the one before.
            verify recomputes the chain: editing, deleting or reordering an entry breaks it from there on.

            Exit codes: 0 the chain is intact; 4 it is broken (the first broken entry is named); 2 a bad database URL;
            3 the database cannot be reached.
            """,
            "airlock audit verify",
            "airlock audit verify --database postgres://airlock:secret@127.0.0.1/airlock --json");
        verify.SetAction((parse, ct) => ServerRunner.VerifyAuditAsync(context, parse.GetValue(database), parse.GetValue(json), ct));
        var command = new Command("audit", "Work with the server's audit log.") { verify };
        command.WithHelp(null, "airlock audit verify");
        return command;
    }
}
