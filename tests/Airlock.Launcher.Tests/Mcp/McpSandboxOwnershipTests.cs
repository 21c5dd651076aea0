using Airlock.Launcher.Mcp;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Tests.Mcp;

/// <summary>Which sandboxes airlock mcp's tools act on, and what they say about the others.</summary>
public sealed class McpSandboxOwnershipTests
{
    private static SandboxInfo Found(SandboxOwner owner) =>
        new("0123456789ab", "airlock-work-1234abcd", "localhost/airlock:work", Running: true, "running", 0, false, owner,
            new Dictionary<string, string>(), null, null, null);

    [Fact]
    public void Only_launcher_sessions_marked_with_the_mcp_client_count_as_made_by_mcp()
    {
        McpSandboxOwnership.MadeByMcp(new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Client = SandboxOwner.Clients.Mcp, Project = "/p" }).ShouldBeTrue();
        McpSandboxOwnership.MadeByMcp(new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Project = "/p" }).ShouldBeFalse();
        McpSandboxOwnership.MadeByMcp(new SandboxOwner { Role = SandboxOwner.Roles.Server, Client = SandboxOwner.Clients.Mcp }).ShouldBeFalse();
        McpSandboxOwnership.MadeByMcp(new SandboxOwner()).ShouldBeFalse();
    }

    [Fact]
    public void Unknown_sandbox_is_refused_pointing_at_list_and_create()
    {
        var message = McpSandboxOwnership.Refusal("airlock-nope-00000000", null);

        message.ShouldContain("no sandbox named 'airlock-nope-00000000'");
        message.ShouldContain("list_sandboxes");
        message.ShouldContain("create_sandbox");
    }

    [Fact]
    public void A_persons_own_session_is_refused_as_such()
    {
        var message = McpSandboxOwnership.Refusal("airlock-work-1234abcd", Found(new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Namespace = "work", Project = "/p" }));

        message.ShouldContain("a person's own airlock session");
        message.ShouldContain("refused");
    }

    [Fact]
    public void A_server_tenants_sandbox_is_refused_as_such()
    {
        var message = McpSandboxOwnership.Refusal("sbx", Found(new SandboxOwner { Role = SandboxOwner.Roles.Server, Tenant = "acme" }));

        message.ShouldContain("a sandbox of airlock serve");
    }

    [Fact]
    public void Another_mcp_servers_sandbox_is_refused_too()
    {
        var message = McpSandboxOwnership.Refusal("airlock-work-1234abcd", Found(new SandboxOwner { Role = SandboxOwner.Roles.Launcher, Client = SandboxOwner.Clients.Mcp }));

        message.ShouldContain("another airlock mcp");
        message.ShouldContain("refused");
    }

    [Fact]
    public void A_container_airlock_did_not_make_is_refused_as_such()
    {
        McpSandboxOwnership.Refusal("postgres", Found(new SandboxOwner())).ShouldContain("a container Airlock did not make");
    }
}
