using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Security;

namespace Airlock.Sandboxes.Tests.Runtime;

public sealed class SandboxOwnerTests
{
    private static readonly SandboxOwner Server = new()
    {
        Role = SandboxOwner.Roles.Server,
        Tenant = "acme",
        SandboxId = "sbx-1",
        Server = "db-1",
        Node = "local",
    };

    [Fact]
    public void An_owner_is_written_as_the_labels_it_sets_and_read_back_the_same()
    {
        var labels = Server.ToLabels();

        labels.ShouldBe(new Dictionary<string, string>
        {
            [SandboxLabels.Owner] = "server",
            [SandboxLabels.Tenant] = "acme",
            [SandboxLabels.SandboxId] = "sbx-1",
            [SandboxLabels.Server] = "db-1",
            [SandboxLabels.Node] = "local",
        }, ignoreOrder: true);
        SandboxOwner.FromLabels(labels).ShouldBe(Server);
    }

    [Fact]
    public void A_query_matches_owners_that_agree_on_every_part_it_sets()
    {
        var query = new SandboxOwner { Server = "db-1", Node = "local" };

        Server.Matches(query).ShouldBeTrue();
        (Server with { Node = "other" }).Matches(query).ShouldBeFalse();
        new SandboxOwner().Matches(query).ShouldBeFalse();
        query.ToFilters().ShouldBe(["io.airlock.server=db-1", "io.airlock.node=local"], ignoreOrder: true);
    }

    [Fact]
    public void Labels_that_are_not_airlocks_are_kept_apart_from_the_owner()
    {
        var labels = new Dictionary<string, string> { [SandboxLabels.Tenant] = "acme", ["team"] = "infra", ["io.airlockish"] = "x" };

        SandboxOwner.WithoutOwnLabels(labels).ShouldBe(new Dictionary<string, string> { ["team"] = "infra", ["io.airlockish"] = "x" }, ignoreOrder: true);
        SandboxOwner.FromLabels(labels).Tenant.ShouldBe("acme");
        SandboxOwner.FromLabels(null).ShouldBe(new SandboxOwner());
    }
}
