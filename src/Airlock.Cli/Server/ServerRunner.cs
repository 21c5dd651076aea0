using System.Text.Json;
using Airlock.Cli.Engines;
using Airlock.Cli.Errors;
using Airlock.Engine.Discovery;
using Airlock.Sandboxes.Paths;
using Airlock.Server;
using Airlock.Server.Auth;
using Airlock.Server.Nodes;
using Airlock.Server.Secrets;
using Airlock.Server.Store;
using Airlock.Server.Store.Migrations;
using Spectre.Console;

namespace Airlock.Cli.Server;

/// <summary>What <c>serve</c>, <c>migrate</c> and <c>audit verify</c> do; the only CLI type that touches the server assembly.</summary>
public static class ServerRunner
{
    /// <summary>The audit chain is broken: a finding about the data, not a bug nor a bad flag.</summary>
    public const int AuditBroken = 4;

    public static async Task<int> ServeAsync(
        CliContext context,
        string? listen,
        string? database,
        string? engine,
        string? bootstrapFile,
        long? maxBody,
        string[]? nodeFlags,
        string? placement,
        int? maxSnapshots,
        string[]? allowImages,
        string? signingKeyFile,
        bool rotateSigningKey,
        string? secretsKeyFile,
        string? previousSecretsKeyFile,
        CancellationToken ct)
    {
        var serverDir = ServerDir(context);
        signingKeyFile ??= Path.Combine(serverDir, "signing-key");
        if (rotateSigningKey)
        {
            return await RotateSigningKeyAsync(context, serverDir, signingKeyFile, ct);
        }

        var target = ParseDatabase(context, database, serverDir);
        if (listen is not null && (!Uri.TryCreate(listen, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.AbsolutePath != "/"))
        {
            throw new UserInputException($"--listen '{listen}' is not http://ADDRESS:PORT", "e.g. --listen http://127.0.0.1:8470 (TLS belongs to a proxy in front)");
        }

        if (maxBody is < 1024)
        {
            throw new UserInputException($"--max-body-size {maxBody} is below 1024 bytes", "give a size in bytes, e.g. --max-body-size 1048576");
        }

        if (maxSnapshots is < 0 or > 100_000)
        {
            throw new UserInputException($"--max-snapshots {maxSnapshots} is not between 0 and 100000", "give how many snapshots each tenant may keep, e.g. --max-snapshots 20");
        }

        var (nodes, nodeErrors) = NodeFlag.Parse(nodeFlags ?? []);
        if (nodeErrors.Count > 0)
        {
            throw new UserInputException(string.Join(Environment.NewLine, nodeErrors), "give each engine as --node " + NodeFlag.Form);
        }

        if (nodes.Count > 0 && engine is not null)
        {
            throw new UserInputException("--engine and --node are both given", "use --engine for one engine, or --node NAME=ENDPOINT once per engine");
        }

        var baseImage = Settings.BaseImageSetting.From(context.GetVariable).Name;
        var allowed = allowImages is { Length: > 0 } ? allowImages : null;
        var imageErrors = new Airlock.Sandboxes.Validation.ValidationErrors();
        Airlock.Server.Images.ImageAllowList.Parse(allowed ?? [baseImage], "--allow-image", imageErrors);
        if (imageErrors.Any && allowed is null)
        {
            throw new UserInputException(
                $"the base image '{baseImage}' (AIRLOCK_BASE_IMAGE or config.yaml's baseImage), which tenants may use when no --allow-image is given, is not a full reference: {imageErrors.All[0].Message}",
                "write it in full (e.g. localhost/airlock-base:bookworm), or name the images tenants may use with --allow-image");
        }

        if (imageErrors.Any)
        {
            throw new UserInputException(
                string.Join(Environment.NewLine, imageErrors.All.Select(e => e.ToString())),
                "write each --allow-image in full: a repository (docker.io/library/python) or a reference (docker.io/library/python:3.12); Airlock's own snapshot and namespace images cannot be allowed");
        }

        // A signing key file that is there but unusable is the admin's input: said before any engine is asked.
        if (File.Exists(signingKeyFile))
        {
            try
            {
                SigningKeyFile.Read(signingKeyFile);
            }
            catch (SigningKeyFileException ex)
            {
                throw new UserInputException(ex.Message, ex.HowToFix);
            }
        }

        var secretsKeyText = context.GetVariable(SecretsKeySource.Variable) is { Length: > 0 } text ? text : null;
        if (secretsKeyText is not null && secretsKeyFile is not null)
        {
            throw new UserInputException(
                $"the secrets key is given twice: --secrets-key-file {secretsKeyFile} and {SecretsKeySource.Variable}",
                $"keep one: unset {SecretsKeySource.Variable}, or leave --secrets-key-file out");
        }

        if (previousSecretsKeyFile is not null && Path.GetFullPath(previousSecretsKeyFile) == Path.GetFullPath(secretsKeyFile ?? Path.Combine(serverDir, "secrets-key")) && secretsKeyText is null)
        {
            throw new UserInputException(
                $"--secrets-previous-key-file names the current key's file ({previousSecretsKeyFile})",
                "rotating: move the old key file aside (mv secrets-key secrets-key.old), then start with --secrets-previous-key-file secrets-key.old; a new key is made");
        }

        var strategy = PlacementStrategy.Binpack;
        if (placement is not null && !PlacementStrategies.TryParse(placement, out strategy))
        {
            throw new UserInputException($"--placement '{placement}' is not a placement strategy", "use --placement binpack, spread or bestfit");
        }

        var options = new ServerOptions
        {
            Listen = listen ?? ServerOptions.DefaultListen,
            Database = target,
            BootstrapKeyFile = bootstrapFile ?? Path.Combine(serverDir, "bootstrap-key"),
            MaxRequestBodyBytes = maxBody ?? 1024 * 1024,
            Nodes = nodes,
            Placement = strategy,
            MaxSnapshotsPerTenant = maxSnapshots ?? 20,
            BaseImage = baseImage,
            AllowedImages = allowed,
            SigningKeyFile = signingKeyFile,
            // As the signing key's: in the state directory unless named, whatever --bootstrap-key-file says.
            SecretsKeyFile = secretsKeyFile ?? (secretsKeyText is null ? Path.Combine(serverDir, "secrets-key") : null),
            SecretsKeyText = secretsKeyText,
            PreviousSecretsKeyFile = previousSecretsKeyFile,
            TemplatePaths = AirlockPaths.FromEnvironment(context.GetVariable),
        };
        if (nodes.Count == 0)
        {
            options = options with { Engine = (await DiscoverAsync(context, engine, ct)).Endpoint };
        }

        PrepareStateDirectory(serverDir);
        var engines = string.Join(", ", options.EffectiveNodes.Select(n => nodes.Count == 0 ? $"engine {n.Endpoint}" : $"node {n.Name} {n.Endpoint}"));
        return await WithStoreErrorsAsync(context, async () =>
        {
            await using var server = await AirlockServer.StartAsync(options, ct: ct);
            foreach (var migration in server.AppliedMigrations)
            {
                context.Error.WriteLine($"migrated the database to version {migration.Version} ({migration.Name})");
            }

            if (server.BootstrapKeyFile is { } file)
            {
                context.Error.WriteLine($"no system admin key existed: wrote one to {file} (mode 0600); use it as 'Authorization: Bearer KEY'");
            }

            var secrets = server.Secrets;
            if (secrets.Created)
            {
                context.Error.WriteLine($"made a new secrets key (id {secrets.KeyId}) in {secrets.Source.File} (mode 0600): it encrypts tenant secrets in the database; "
                    + "back it up apart from the database (without it they cannot be read), and give servers sharing this database the same file");
            }

            if (secrets.PreviousKeyId is { } previous)
            {
                context.Error.WriteLine($"rotated the secrets key: {secrets.Reencrypted} stored value(s) re-encrypted from key {previous} to key {secrets.KeyId}; "
                    + "start without --secrets-previous-key-file from now on, and delete the old key file once every server sharing this database has the new one");
            }

            var r = server.StartReconcile;
            context.Error.WriteLine($"reconciled: {r.CreatesAdopted.Count} interrupted creates finished, {r.CreatesUndone.Count} undone, {r.OrphansRemoved.Count} orphan containers removed, "
                + $"{r.Exited.Count} exited, {r.Lost.Count} lost{(r.Complete ? "" : $"; unreachable: {string.Join(", ", r.UnreachableNodes)}")}");
            context.Error.WriteLine($"airlock serve: secrets key {secrets.KeyId} from {secrets.Source.Description}");
            context.Error.WriteLine($"airlock serve: listening on {server.Address}, database {target.Display}, {engines}, placement {strategy.ToString().ToLowerInvariant()}");
            await server.WaitForShutdownAsync(ct);
            context.Error.WriteLine("airlock serve: stopped");
            return ExitCodes.Ok;
        });
    }

    /// <summary><c>serve --rotate-signing-key</c>: a new key first in the file, the previous one kept; nothing is served.</summary>
    private static async Task<int> RotateSigningKeyAsync(CliContext context, string serverDir, string file, CancellationToken ct)
    {
        PrepareStateDirectory(serverDir);
        try
        {
            var (fresh, kept) = await SigningKeyFile.RotateAsync(file, ct);
            context.Out.WriteLine($"rotated the token signing keys in {file}: key {fresh.Id} signs new tokens"
                + (kept is null ? "" : $"; key {kept.Id} is still accepted until the next rotation (its tokens expire within an hour)"));
            context.Out.WriteLine("servers using this file read it again within 5 s; servers sharing a database need the same file");
            return ExitCodes.Ok;
        }
        catch (SigningKeyFileException ex)
        {
            throw new UserInputException(ex.Message, ex.HowToFix);
        }
    }

    /// <summary>The default state directory is airlock's own: made 0700, narrowed if an older airlock left it open.</summary>
    private static void PrepareStateDirectory(string serverDir)
    {
        try
        {
            PrivateFiles.EnsureOwnDirectory(serverDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot keep the server's state directory {serverDir} private: {ex.Message}", "set AIRLOCK_HOME to a directory the user running airlock serve owns");
        }
    }

    private static async Task<DiscoveredEngine> DiscoverAsync(CliContext context, string? engine, CancellationToken ct)
    {
        var discovery = new EngineDiscovery(DiscoveryEnvironment.FromProcess() with
        {
            GetVariable = name => name == EngineDiscovery.EngineVariable && engine is not null ? engine : context.GetVariable(name),
        });
        try
        {
            return await discovery.FindAsync(ct);
        }
        catch (EngineConfigurationException) when (engine is not null)
        {
            throw new UserInputException($"--engine '{engine}' is not an engine Airlock can use", "give podman, docker, unix:///path/to.sock or tcp://host:port");
        }
    }

    public static Task<int> MigrateAsync(CliContext context, string verb, string? database, bool json, CancellationToken ct)
    {
        var target = ParseDatabase(context, database, ServerDir(context));
        return WithStoreErrorsAsync(context, async () =>
        {
            await using var db = new Database(target);
            var migrator = new Migrator(db, context.Time);
            string message;
            switch (verb)
            {
                case "up":
                    var applied = await migrator.UpAsync(ct);
                    message = applied.Count == 0
                        ? $"{target.Display} is already at the latest schema version ({Migrator.Latest})"
                        : string.Join(Environment.NewLine, applied.Select(m => $"applied {m.Version:D4} {m.Name}"));
                    break;
                case "down":
                    var reverted = await migrator.DownAsync(ct);
                    message = reverted is null ? $"{target.Display} has no migration to revert (version 0)" : $"reverted {reverted.Version:D4} {reverted.Name}";
                    break;
                default:
                    message = "";
                    break;
            }

            var version = await migrator.CurrentVersionAsync(ct);
            if (json)
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new MigrationStatus(version, Migrator.Latest, target.Display), CliServerJson.Default.MigrationStatus));
            }
            else
            {
                if (message.Length > 0)
                {
                    context.Out.WriteLine(message);
                }

                context.Out.WriteLine($"schema version {version} (latest known: {Migrator.Latest})");
            }

            return ExitCodes.Ok;
        });
    }

    public static Task<int> VerifyAuditAsync(CliContext context, string? database, bool json, CancellationToken ct)
    {
        var target = ParseDatabase(context, database, ServerDir(context));
        return WithStoreErrorsAsync(context, async () =>
        {
            await using var db = new Database(target);
            var version = await new Migrator(db, context.Time).CurrentVersionAsync(ct);
            if (version == 0)
            {
                throw new UserInputException($"{target.Display} has no Airlock schema (version 0)", "point --database at the server's database, or run `airlock migrate up` first");
            }

            var result = await new AuditStore(db).VerifyAsync(ct);
            if (json)
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    new AuditVerifyResult(result.Intact, result.Checked, result.BrokenSeq, result.Problem), CliServerJson.Default.AuditVerifyResult));
            }
            else if (result.Intact)
            {
                context.Out.WriteLine($"audit log intact: {result.Checked} entries, each linked to the one before");
            }
            else
            {
                ErrorReporter.Write(context, $"the audit log is broken at entry {result.BrokenSeq}: {result.Problem}",
                    $"entries before {result.BrokenSeq} are intact; restore the database from a backup to find what changed");
            }

            return result.Intact ? ExitCodes.Ok : AuditBroken;
        });
    }

    public static async Task<int> BackupAsync(CliContext context, string? database, string to, bool force, bool json, CancellationToken ct)
    {
        var target = ParseDatabase(context, database, ServerDir(context));
        SqliteBackup.Result copied;
        try
        {
            copied = await SqliteBackup.CopyAsync(target, to, force, ct);
        }
        catch (BackupException ex)
        {
            throw new UserInputException(ex.Message, ex.HowToFix);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new UserInputException($"cannot copy {target.Display}: {ex.Message}", "check that the file is an Airlock server database this user may read");
        }

        if (json)
        {
            context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                new BackupResult(copied.Source, copied.Destination, copied.Bytes, copied.SchemaVersion, copied.Tenants, copied.Sandboxes), CliServerJson.Default.BackupResult));
        }
        else
        {
            context.Out.WriteLine(
                $"copied {copied.Source} to {copied.Destination} ({copied.Bytes / 1024} KiB, schema version {copied.SchemaVersion}, {copied.Tenants} tenant(s), {copied.Sandboxes} sandbox(es))");
            context.Out.WriteLine($"restore: stop the servers, then airlock serve --database {copied.Destination}");
        }

        return ExitCodes.Ok;
    }

    private static string ServerDir(CliContext context) => Path.Combine(AirlockPaths.FromEnvironment(context.GetVariable).Root, "server");

    private static DatabaseTarget ParseDatabase(CliContext context, string? flag, string serverDir)
    {
        try
        {
            return DatabaseTarget.Parse(flag ?? context.GetVariable(ServerCommands.DatabaseVariable), Path.Combine(serverDir, "airlock.db"));
        }
        catch (DatabaseUrlException ex)
        {
            throw new UserInputException("--database: " + ex.Message, "e.g. --database postgres://airlock:secret@127.0.0.1/airlock, or leave it out for the SQLite default");
        }
    }

    private static async Task<int> WithStoreErrorsAsync(CliContext context, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (StoreUnavailableException ex)
        {
            ErrorReporter.Write(context, ex.Message, ex.HowToFix);
            return ExitCodes.Unreachable;
        }
        catch (SchemaTooNewException ex)
        {
            ErrorReporter.Write(context, ex.Message, ex.HowToFix);
            return ExitCodes.UserError;
        }
        catch (SigningKeyFileException ex)
        {
            ErrorReporter.Write(context, ex.Message, ex.HowToFix);
            return ExitCodes.UserError;
        }
        catch (SecretsKeyException ex)
        {
            ErrorReporter.Write(context, ex.Message, ex.HowToFix);
            return ExitCodes.UserError;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            ErrorReporter.Write(context, "cannot listen: " + ex.Message, "pick a free port with --listen, or stop what is using it");
            return ExitCodes.UserError;
        }
    }
}
