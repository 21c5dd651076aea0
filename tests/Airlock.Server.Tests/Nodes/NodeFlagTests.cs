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

    [Theory]
    [InlineData("memory=8G", 8L << 30)]
    [InlineData("memory=1.5GiB", 3L << 29)]
    [InlineData("memory=512mb", 512L << 20)]
    [InlineData("memory=1073741824", 1L << 30)]
    public void Memory_is_read_in_the_one_size_grammar(string memory, long bytes)
    {
        var (nodes, errors) = NodeFlag.Parse([$"n=unix:///n.sock,{memory}"]);

        errors.ShouldBeEmpty();
        nodes.ShouldHaveSingleItem().MemoryBytes.ShouldBe(bytes);
    }

    [Theory]
    [InlineData("memory=0")]
    [InlineData("memory=lots")]
    [InlineData("memory=-1G")]
    [InlineData("memory=99999999999999T")]
    public void Memory_that_is_not_a_positive_size_is_refused_with_the_grammar(string memory)
    {
        var (_, errors) = NodeFlag.Parse([$"n=unix:///n.sock,{memory}"]);

        errors.ShouldHaveSingleItem().ShouldContain($"'{memory}' is not cpus=N (0 < N <= 4096) or memory=SIZE (SIZE: {Airlock.Sandboxes.Specs.ByteSize.Grammar})");
    }
}
