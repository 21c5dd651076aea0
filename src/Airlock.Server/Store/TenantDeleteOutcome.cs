namespace Airlock.Server.Store;

public enum TenantDeleteOutcome
{
    Deleted,
    NotFound,
    HasSandboxes,
    HasSnapshots,
}
