namespace Airlock.Server;

/// <summary>
/// Every bound on what one request can make the server or an engine do, written once. A tenant is hostile: no number,
/// count or size it sends reaches the engine, or is held by the server, without one of these in front of it.
/// docs/serve.md lists each with the answer a tenant gets when it is passed.
/// </summary>
public static class ServerLimits
{
    /// <summary>Most lines a log request may ask with <c>tail</c>: podman allocates for the whole tail before reading a line.</summary>
    public const int MaxLogTail = 10_000;

    /// <summary>Log streams (followed or not) one tenant may have open on one server at once.</summary>
    public const int MaxLogStreamsPerTenant = 8;

    /// <summary>
    /// Execs one tenant may have running on one server at once. An exec the client left, or that passed its time limit,
    /// keeps its place until its process ends (its output drained and dropped): the engine still holds it.
    /// </summary>
    public const int MaxExecsPerTenant = 8;

    /// <summary>How long an exec may run when the request does not say (<c>timeoutSeconds</c>).</summary>
    public const int DefaultExecTimeoutSeconds = 300;

    /// <summary>The longest <c>timeoutSeconds</c> an exec may ask for.</summary>
    public const int MaxExecTimeoutSeconds = 3600;

    /// <summary>Output of one exec kept per stream; the rest is drained and dropped.</summary>
    public const int ExecOutputBytes = 1024 * 1024;

    /// <summary>The most an exec's <c>stdin</c> may hold (characters, sent as UTF-8).</summary>
    public const int MaxExecStdinChars = 1024 * 1024;

    /// <summary>Arguments of a command (create or exec), and the length of each.</summary>
    public const int MaxCommandArgs = 256;

    public const int MaxCommandArgChars = 16_384;

    /// <summary>Environment variables of a create or an exec, the length of a name and of a value.</summary>
    public const int MaxEnvEntries = 256;

    public const int MaxEnvNameChars = 256;

    public const int MaxEnvValueChars = 32_768;

    /// <summary>
    /// The largest upload into a sandbox, one file's bytes (<c>PUT .../files</c>) or a tar (<c>PUT .../files/archive</c>):
    /// counted as it arrives, so a body without a length is cut off here too. Downloads are streamed and not bounded.
    /// </summary>
    public const long MaxUploadBytes = 1L << 30;

    /// <summary>Entries one uploaded tar may hold (each becomes a file the engine makes).</summary>
    public const int MaxArchiveEntries = 100_000;

    /// <summary>Entries a directory listing returns; a bigger directory is refused (413) rather than cut short unnoticed.</summary>
    public const int MaxListEntries = 10_000;

    /// <summary>The longest path in a sandbox a request may name (Linux's PATH_MAX).</summary>
    public const int MaxSandboxPathChars = 4096;

    /// <summary>File requests (up and downloads, listings, moves) one tenant may have under way on one server at once.</summary>
    public const int MaxFileRequestsPerTenant = 8;

    /// <summary>Labels of a sandbox.</summary>
    public const int MaxLabels = 32;

    /// <summary>Images the system admin may allow a single tenant besides the server-wide list.</summary>
    public const int MaxTenantImages = 100;

    /// <summary>Destinations in one sandbox's <c>network.allow</c>, and in a tenant's egress ceiling.</summary>
    public const int MaxEgressRules = 256;

    /// <summary>The longest name (and variable) of a tenant secret.</summary>
    public const int MaxSecretNameChars = 128;

    /// <summary>The largest secret value, in UTF-8 bytes: keys and tokens are far smaller, and it goes into a request header.</summary>
    public const int MaxSecretValueBytes = 16 * 1024;

    /// <summary>Hosts one secret may be sent to.</summary>
    public const int MaxSecretHosts = 32;

    /// <summary>Secrets one tenant may keep.</summary>
    public const int MaxSecretsPerTenant = 100;

    /// <summary>Secrets one sandbox may be given.</summary>
    public const int MaxSecretsPerSandbox = 32;

    /// <summary>
    /// Egress records kept per sandbox: older ones are dropped as new ones come, so a sandbox that retries a refused
    /// destination in a loop cannot grow the database without end.
    /// </summary>
    public const int MaxEgressRecordsPerSandbox = 10_000;

    /// <summary>Egress records waiting to be written; while the database falls this far behind, new ones are counted and dropped.</summary>
    public const int EgressRecordBacklog = 10_000;

    /// <summary>Requests without a valid credential from one address: a bucket of this many, refilled this many a second.</summary>
    public const int AnonymousBurstPerAddress = 20;

    public const int AnonymousPerSecondPerAddress = 5;

    /// <summary>Requests without a valid credential from all addresses together (probes of /healthz and /readyz aside).</summary>
    public const int AnonymousBurst = 100;

    public const int AnonymousPerSecond = 50;

    /// <summary>
    /// Audit entries for refused requests nobody could be held to (no valid credential) and for rate-limit refusals: at
    /// most one a minute per address (or key), and at most this many a minute in all. The rest are counted in metrics.
    /// </summary>
    public const int SampledAuditEntriesPerMinute = 60;
}
