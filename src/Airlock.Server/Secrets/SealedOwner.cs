namespace Airlock.Server.Secrets;

/// <summary>
/// The associated data a sealed value is bound to: what it is and whose. A value moved to another row (another tenant,
/// another name, another sandbox) fails to open rather than decrypting for the wrong owner.
/// </summary>
public static class SealedOwner
{
    public static string TenantSecret(string tenantId, string name) => $"airlock/tenant-secret\n{tenantId}\n{name}";

    public static string SandboxAuthority(string tenantId, string sandboxId) => $"airlock/sandbox-authority\n{tenantId}\n{sandboxId}";
}
