using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Mcp;

/// <summary>
/// Which sandboxes <c>airlock mcp</c>'s tools may act on: launcher sessions whose owner names the MCP client, and of those
/// only the ones this very process made (it holds their project lock, guard and egress). Everything else an agent names
/// (a person's own session, a server's tenant sandbox, any other container) is refused, saying what it is.
/// </summary>
public static class McpSandboxOwnership
{
    /// <summary>Whether <paramref name="owner"/> is that of a sandbox <c>airlock mcp</c> made.</summary>
    public static bool MadeByMcp(SandboxOwner owner) =>
        owner.Matches(new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Client = SandboxOwner.Clients.Mcp });

    /// <summary>
    /// Why the tools refuse <paramref name="name"/>, which this process did not make; <paramref name="found"/> is what the
    /// engine has under that name (null: nothing).
    /// </summary>
    public static string Refusal(string name, SandboxInfo? found)
    {
        const string Fix = "the tools only act on sandboxes that create_sandbox made in this session; see list_sandboxes for their names, or create one with create_sandbox";
        if (found is null)
        {
            return $"sandbox: no sandbox named '{name}'; {Fix}";
        }

        var owner = found.Owner;
        var what = MadeByMcp(owner) ? "a sandbox of another airlock mcp (another agent's session, or one that ended without cleaning up; `airlock list sessions` shows it)"
            : owner.Role == SandboxOwner.Roles.Launcher ? "a person's own airlock session"
            : owner.Role is SandboxOwner.Roles.Server or SandboxOwner.Roles.ServerGuard ? "a sandbox of airlock serve"
            : owner.Role is SandboxOwner.Roles.LauncherGuard ? "the network guard of an airlock session"
            : owner.Role is null ? "a container Airlock did not make"
            : $"something Airlock made for another purpose ({owner.Role})";
        return $"sandbox: '{name}' is {what}, not one this airlock mcp made: refused; {Fix}";
    }
}
