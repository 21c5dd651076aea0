using Airlock.Engine.Transport;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;
using Airlock.Server.Nodes;
using Airlock.Server.RateLimiting;
using Airlock.Server.Store;
using Airlock.Server.Tenants;

namespace Airlock.Server;

/// <summary>How one <c>airlock serve</c> runs.</summary>
public sealed record ServerOptions
{
    public const string DefaultListen = "http://127.0.0.1:8470";

    /// <summary>http://ADDRESS:PORT to listen on; port 0 picks a free one (see <see cref="AirlockServer.Address"/>).</summary>
    public string Listen { get; init; } = DefaultListen;

    public required DatabaseTarget Database { get; init; }

    /// <summary>The one engine when <see cref="Nodes"/> is empty: the node <see cref="NodeName"/>, without a capacity check.</summary>
    public EngineEndpoint? Engine { get; init; }

    /// <summary>The name of the one engine node (the <c>node</c> column of every sandbox) when <see cref="Nodes"/> is empty.</summary>
    public string NodeName { get; init; } = "local";

    /// <summary>Several engine nodes to place sandboxes on (--node NAME=ENDPOINT); when empty, <see cref="Engine"/> alone.</summary>
    public IReadOnlyList<NodeOptions> Nodes { get; init; } = [];

    public PlacementStrategy Placement { get; init; } = PlacementStrategy.Binpack;

    /// <summary>How often the reconciler compares the store with the engines (besides at start and on engine events).</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often sandboxes past their timeout or idle timeout are looked for (and ended).</summary>
    public TimeSpan LifetimeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A <c>creating</c> row older than this that no request of this server is working on was left by a crash (or a
    /// server that stopped answering); the periodic pass resolves it. The pass at start resolves every one.
    /// </summary>
    public TimeSpan StaleCreateAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Snapshots a tenant may keep.</summary>
    public int MaxSnapshotsPerTenant { get; init; } = 20;

    /// <summary>The nodes the server runs: <see cref="Nodes"/>, or the single <see cref="Engine"/>.</summary>
    public IReadOnlyList<NodeOptions> EffectiveNodes => Nodes.Count > 0
        ? Nodes
        : [new NodeOptions(NodeName, Engine ?? throw new InvalidOperationException("ServerOptions needs Engine or Nodes"), Unbounded: true)];

    /// <summary>Where the first system admin key is written (mode 0600) when the database has none.</summary>
    public required string BootstrapKeyFile { get; init; }

    /// <summary>
    /// The token signing keys' file (mode 0600; made with a new key when missing): <c>--signing-key-file</c>, by default
    /// <c>signing-key</c> beside <see cref="BootstrapKeyFile"/>. Servers sharing a database must share this file too.
    /// </summary>
    public string? SigningKeyFile { get; init; }

    /// <summary>The signing key file actually used.</summary>
    public string EffectiveSigningKeyFile =>
        SigningKeyFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(BootstrapKeyFile)) ?? ".", "signing-key");

    /// <summary>
    /// The file of the key that encrypts tenant secrets and sandbox authorities in the database (<c>--secrets-key-file</c>;
    /// 0600, owned by the server's user; made with a new key when missing). Null: <c>secrets-key</c> beside
    /// <see cref="BootstrapKeyFile"/>, unless <see cref="SecretsKeyText"/> gives the key.
    /// </summary>
    public string? SecretsKeyFile { get; init; }

    /// <summary>The key itself in base64 (AIRLOCK_SECRETS_KEY), instead of a file.</summary>
    public string? SecretsKeyText { get; init; }

    /// <summary>
    /// The file of the key the database's secrets were encrypted with before (<c>--secrets-previous-key-file</c>): the
    /// server re-encrypts them under the current key at start. Null: no rotation.
    /// </summary>
    public string? PreviousSecretsKeyFile { get; init; }

    /// <summary>Where the secrets key actually comes from.</summary>
    public Secrets.SecretsKeySource EffectiveSecretsKey => SecretsKeyText is { } text
        ? Secrets.SecretsKeySource.FromText(text)
        : Secrets.SecretsKeySource.FromFile(SecretsKeyFile ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(BootstrapKeyFile)) ?? ".", "secrets-key"));

    /// <summary>
    /// The roots the egress proxies verify the hosts a secret goes to against; null is the host's trust store (which
    /// <c>SSL_CERT_FILE</c> can point elsewhere). Tests give their own.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? UpstreamRoots { get; init; }

    /// <summary>
    /// The images every tenant may name in <c>image</c> (<c>--allow-image</c>): repositories or references written in
    /// full. Null: <see cref="BaseImage"/> alone. Tenants also get their own list, their snapshots and the templates.
    /// </summary>
    public IReadOnlyList<string>? AllowedImages { get; init; }

    /// <summary>The server-wide image allowlist actually used.</summary>
    public IReadOnlyList<string> EffectiveAllowedImages => AllowedImages ?? [BaseImage];

    /// <summary>Request bodies larger than this are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    public IReadOnlyDictionary<string, RateLimitTier> Tiers { get; init; } = RateLimitTier.Defaults;

    /// <summary>The tier of a tenant created without one.</summary>
    public string DefaultTier { get; init; } = "standard";

    public TenantQuota DefaultQuota { get; init; } = TenantQuota.Default;

    /// <summary>What template images build FROM (AIRLOCK_BASE_IMAGE, else config.yaml's baseImage).</summary>
    public string BaseImage { get; init; } = TemplateBuild.DefaultBaseImage;

    /// <summary>Where the server user's own templates are (their templates/ dir); the baked-in ones are always there.</summary>
    public AirlockPaths TemplatePaths { get; init; } = AirlockPaths.FromEnvironment();

    /// <summary>The server's clock (timestamps, token lifetimes).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the egress proxies of allowlist sandboxes listen, one directory per sandbox (made 0700, owned by the server's
    /// user; must be short: a unix socket path has at most 107 bytes). Null: <c>serve-SERVERID</c> in Airlock's private
    /// runtime directory (<c>/run/airlock</c> for root, else <c>$XDG_RUNTIME_DIR/airlock</c>).
    /// </summary>
    public string? RuntimeDirectory { get; init; }

    /// <summary>Labels added to every container the server creates (tests mark their run with them).</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();
}
