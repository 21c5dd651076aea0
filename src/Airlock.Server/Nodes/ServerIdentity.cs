namespace Airlock.Server.Nodes;

/// <summary>
/// Names the database this server keeps its state in; written on every container and image the server makes
/// (<see cref="Airlock.Sandboxes.Runtime.SandboxOwner.Server"/>), so the reconciler removes only what a server on this database made and never
/// another server's (or another test's) sandboxes on a shared engine.
/// </summary>
public sealed record ServerIdentity(string Id)
{
    public const string SettingName = "server-id";

    public static string NewId() => "srv" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
}
