using Airlock.Server.Nodes;

namespace Airlock.Server.Tests.Nodes;

public sealed class NodeFlagTests
{
    [Fact]
    public void Nodes_with_and_without_capacity_parse()
    {
        var (nodes, errors) = NodeFlag.Parse(["podman=unix:///run/podman/podman.sock", "docker=unix:///var/run/docker.sock,cpus=2.5,memory=8G"]);

        errors.ShouldBeEmpty();
        nodes.Select(n => n.Name).ShouldBe(["podman", "docker"]);
        nodes[0].CpuMillis.ShouldBeNull();
        nodes[1].CpuMillis.ShouldBe(2500);
        nodes[1].MemoryBytes.ShouldBe(8L << 30);
        nodes[1].Endpoint.ToString().ShouldContain("/var/run/docker.sock");
    }

    [Fact]
    public void Every_bad_value_is_reported_with_the_fix()
    {
        var (_, errors) = NodeFlag.Parse(["Bad_Name=unix:///x.sock", "a=ftp://host", "b=unix:///b.sock,cpus=lots", "c=unix:///c.sock", "c=unix:///d.sock"]);

        errors.Count.ShouldBe(4);
        errors[0].ShouldContain("'Bad_Name' is not a node name");
        errors[1].ShouldContain("'ftp://host' is not an engine endpoint");
        errors[2].ShouldContain("'cpus=lots' is not cpus=N");
        errors[3].ShouldContain("--node c is given twice");
    }
}
