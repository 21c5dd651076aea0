using Airlock.Engine.Transport;
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

    public required EngineEndpoint Engine { get; init; }

    /// <summary>The name of the one engine node (the <c>node</c> column of every sandbox).</summary>
    public string NodeName { get; init; } = "local";

    /// <summary>Where the first system admin key is written (mode 0600) when the database has none.</summary>
    public required string BootstrapKeyFile { get; init; }

    /// <summary>Request bodies larger than this are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    public IReadOnlyDictionary<string, RateLimitTier> Tiers { get; init; } = RateLimitTier.Defaults;

    /// <summary>The tier of a tenant created without one.</summary>
    public string DefaultTier { get; init; } = "standard";

    public TenantQuota DefaultQuota { get; init; } = TenantQuota.Default;

    /// <summary>The server's clock (timestamps, token lifetimes).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Labels added to every container the server creates (tests mark their run with them).</summary>
    public IReadOnlyDictionary<string, string> ExtraLabels { get; init; } = new Dictionary<string, string>();
}
