namespace Airlock.Server.Auth;

/// <summary>What a key may do within its tenant; each role includes the ones below it. A system key (no tenant) with Admin is the system admin.</summary>
public enum Role
{
    Viewer = 1,
    Operator = 2,
    Admin = 3,
}
