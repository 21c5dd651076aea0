using Airlock.Server.Audit;
using Airlock.Server.Auth;
using Airlock.Server.Egress;
using Airlock.Server.Errors;
using Airlock.Server.Images;
using Airlock.Server.Keys;
using Airlock.Server.Nodes;
using Airlock.Server.Observability;
using Airlock.Server.RateLimiting;
using Airlock.Server.Reconciliation;
using Airlock.Server.Sandboxes;
using Airlock.Server.Secrets;
using Airlock.Server.Snapshots;
using Airlock.Server.Store;
using Airlock.Server.Store.Migrations;
using Airlock.Server.Templates;
using Airlock.Server.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Airlock.Server;

/// <summary>
/// <c>airlock serve</c>: migrates the database, makes the bootstrap key on a fresh one, then serves the API on Kestrel
/// until stopped. Tests start it the same way on 127.0.0.1 port 0 and talk to it over real HTTP.
/// </summary>
public sealed class AirlockServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Database _database;
    private readonly EngineNodes _nodes;

    private AirlockServer(
        WebApplication app, Database database, EngineNodes nodes, Uri address, IReadOnlyList<Migration> applied, string? bootstrapKeyFile, ReconcileReport startReconcile,
        SecretsStart secrets)
    {
        Secrets = secrets;
        StartReconcile = startReconcile;
        _app = app;
        _database = database;
        _nodes = nodes;
        Address = address;
        AppliedMigrations = applied;
        BootstrapKeyFile = bootstrapKeyFile;
    }

    /// <summary>The address actually listened on (with the real port when 0 was asked).</summary>
    public Uri Address { get; }

    public IReadOnlyList<Migration> AppliedMigrations { get; }

    /// <summary>The file the bootstrap key was written to at this start; null when the database already had a system admin.</summary>
    public string? BootstrapKeyFile { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The secrets key this start used: where from, its id, whether it was made now, what was re-encrypted under it.</summary>
    public SecretsStart Secrets { get; }

    /// <summary>What the reconciler's pass before listening changed (interrupted creates, orphans, dead containers).</summary>
    public ReconcileReport StartReconcile { get; }

    /// <summary>The id written on every container and image this database's servers make.</summary>
    public string ServerId => _app.Services.GetRequiredService<ServerIdentity>().Id;

    public static async Task<AirlockServer> StartAsync(ServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        var time = options.Time;
        var database = new Database(options.Database);
        var nodes = new EngineNodes(options.EffectiveNodes, time);
        try
        {
            var applied = await new Migrator(database, time).UpAsync(ct);
            var keyCache = new ApiKeyCache(time);
            var keys = new ApiKeyStore(database, time, keyCache);
            var bootstrap = await BootstrapKey.EnsureAsync(keys, options.BootstrapKeyFile, ct);
            var signingKeyFile = options.EffectiveSigningKeyFile;
            var signingKeys = await SigningKeyFile.EnsureAsync(signingKeyFile, ct);
            var imageErrors = new Airlock.Sandboxes.Validation.ValidationErrors();
            var allowedImages = ImageAllowList.Parse(options.EffectiveAllowedImages, "allowedImages", imageErrors);
            if (imageErrors.Any)
            {
                throw new ArgumentException("the image allowlist is not valid: " + string.Join("; ", imageErrors.All), nameof(options));
            }

            // Before anything is served or hosted: a key that does not fit what the database holds stops the start here.
            var (secretsKey, secretsKeyCreated) = await SecretsKeyFile.LoadAsync(options.EffectiveSecretsKey, ct);
            var previousSource = options.PreviousSecretsKeyFile is { } previousFile ? SecretsKeySource.FromFile(previousFile, mayCreate: false) : null;
            var previousKey = previousSource is null ? null : (await SecretsKeyFile.LoadAsync(previousSource, ct)).Key;
            var reencrypted = await SecretsKeyCheck.EnsureAsync(database, secretsKey, options.EffectiveSecretsKey, previousKey, previousSource, ct);
            var secretsStart = new SecretsStart(options.EffectiveSecretsKey, secretsKey.Id, secretsKeyCreated, previousKey?.Id == secretsKey.Id ? null : previousKey?.Id, reencrypted);

            var identity = new ServerIdentity(await new SettingsStore(database).GetOrCreateAsync(ServerIdentity.SettingName, ServerIdentity.NewId, ct));

            // The server takes its settings from flags, never from an appsettings.json in whatever directory it was started
            // in: no such file is read, and nothing watches that directory (profiled: with the SQLite file there, the
            // watcher handled an event for every write, several milliseconds of CPU a create).
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = ["--hostBuilder:reloadConfigOnChange=false"],
                ApplicationName = "Airlock.Server",
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.WebHost.UseUrls(options.Listen);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
                kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            });
            builder.Logging.ClearProviders();
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning)
                // Authentication pulls in data protection, which warns about an unencrypted key ring Airlock never uses.
                .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)
                // A failed start (port taken) reaches the caller as an exception, which says it once and without a stack.
                .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
            if (logging is null)
            {
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            }
            else
            {
                logging(builder.Logging);
            }

            var services = builder.Services;
            services.AddSingleton(options);
            services.AddSingleton(time);
            services.AddSingleton(database);
            services.AddSingleton<IEngineNodes>(nodes);
            services.AddSingleton<IPlacement, CapacityPlacement>();
            services.AddSingleton(keyCache);
            services.AddSingleton(identity);
            services.AddSingleton<SnapshotStore>();
            services.AddSingleton<SnapshotService>();
            services.AddSingleton<Reconciler>();
            services.AddHostedService<ReconcilerService>();
            services.AddHostedService<LifetimeService>();
            services.AddSingleton(keys);
            services.AddSingleton<TenantStore>();
            services.AddSingleton<SandboxStore>();
            services.AddSingleton<AuditStore>();
            services.AddSingleton(sp => new SigningKeyRing(signingKeyFile, signingKeys, time, sp.GetRequiredService<ILogger<SigningKeyRing>>()));
            services.AddSingleton<TokenService>();
            services.AddSingleton<AnonymousLimiter>();
            services.AddSingleton<AuditSampler>();
            services.AddSingleton(allowedImages);
            services.AddSingleton<ImagePolicy>();
            services.AddSingleton<TemplateImages>();
            services.AddSingleton<NodeIsolation>();
            services.AddSingleton<EgressRecordStore>();
            services.AddSingleton<EgressRecordWriter>();
            services.AddSingleton<SandboxEgressHosts>();
            services.AddSingleton(secretsKey);
            services.AddSingleton<TenantSecretStore>();
            services.AddSingleton<SandboxSecretStore>();
            services.AddSingleton<TenantSecretService>();
            services.AddSingleton<SandboxService>();
            services.AddSingleton<SandboxNetworkService>();
            services.AddSingleton<SandboxExec>();
            services.AddSingleton<Sandboxes.Files.SandboxFiles>();
            services.AddSingleton<ServerMetrics>();
            services.AddSingleton<Readiness>();
            services.AddAuthentication(AirlockAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, AirlockAuthenticationHandler>(AirlockAuthenticationHandler.SchemeName, null);
            services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            services.ConfigureHttpJsonOptions(o => ServerJson.Configure(o.SerializerOptions));
            services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
            services.AddOpenApi(Http.OpenApiDocumentation.Configure);
            Mcp.McpEndpoint.AddServices(services);

            var app = builder.Build();
            app.UseMiddleware<RequestMetricsMiddleware>();
            app.UseWebSockets();
            app.UseRouting();
            app.UseMiddleware<AuditMiddleware>();
            app.UseMiddleware<ErrorMiddleware>();
            app.UseAuthentication();
            app.UseMiddleware<RateLimitMiddleware>();
            app.UseAuthorization();

            app.MapOpenApi().AllowAnonymous();
            HealthEndpoints.Map(app);
            var v1 = app.MapGroup("/v1");
            TenantEndpoints.Map(v1);
            KeyEndpoints.Map(v1);
            SecretEndpoints.Map(v1);
            SandboxEndpoints.Map(v1);
            SandboxFileEndpoints.Map(v1);
            EgressEndpoints.Map(v1);
            AuditEndpoints.Map(v1);
            SnapshotEndpoints.Map(v1);
            ReconcileEndpoints.Map(v1);
            Mcp.McpEndpoint.Map(app);
            app.MapFallback((HttpContext context) =>
                throw ApiException.NotFound($"there is no {context.Request.Method} {context.Request.Path}; the API is described at /openapi/v1.json")).AllowAnonymous();

            // Before listening: every row a crash left half-done is settled before the first request sees it.
            var reconciler = app.Services.GetRequiredService<Reconciler>();
            var startReconcile = await reconciler.RunAsync(allCreatesInterrupted: true, ct);
            await reconciler.RehostEgressAsync(ct);
            await app.StartAsync(ct);
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? options.Listen;
            return new AirlockServer(app, database, nodes, new Uri(address), applied, bootstrap, startReconcile, secretsStart);
        }
        catch
        {
            nodes.Dispose();
            await database.DisposeAsync();
            throw;
        }
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    private int _disposed;

    /// <summary>Stops the server; a second call does nothing (a test stops it early to start another on its database).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _nodes.Dispose();
        await _database.DisposeAsync();
    }
}
