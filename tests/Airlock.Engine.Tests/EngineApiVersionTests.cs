using Airlock.Engine.Errors;

namespace Airlock.Engine.Tests;

public sealed class EngineApiVersionTests
{
    [Theory]
    [InlineData("1.41", 1, 41)]
    [InlineData(" 1.40 ", 1, 40)]
    [InlineData("1.9", 1, 9)]
    [InlineData("2.0", 2, 0)]
    public void Parse_reads_major_and_minor(string text, int major, int minor)
    {
        EngineApiVersion.Parse(text).ShouldBe(new EngineApiVersion(major, minor));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1")]
    [InlineData("1.41.0")]
    [InlineData("v1.41")]
    [InlineData("1.x")]
    [InlineData("-1.41")]
    [InlineData("1.+41")]
    public void TryParse_refuses_what_is_not_MAJOR_dot_MINOR(string? text)
    {
        EngineApiVersion.TryParse(text, out var version).ShouldBeFalse();
        version.ShouldBe(default);
    }

    [Fact]
    public void Parse_of_a_malformed_version_says_what_was_expected()
    {
        var ex = Should.Throw<FormatException>(() => EngineApiVersion.Parse("latest"));

        ex.Message.ShouldContain("'latest'");
        ex.Message.ShouldContain("MAJOR.MINOR");
    }

    [Fact]
    public void Versions_compare_numerically_not_as_text()
    {
        (new EngineApiVersion(1, 9) < new EngineApiVersion(1, 41)).ShouldBeTrue();
        (new EngineApiVersion(2, 0) > new EngineApiVersion(1, 99)).ShouldBeTrue();
        (new EngineApiVersion(1, 41) <= new EngineApiVersion(1, 41)).ShouldBeTrue();
        (new EngineApiVersion(1, 41) >= new EngineApiVersion(1, 40)).ShouldBeTrue();
        new EngineApiVersion(1, 41).CompareTo(new EngineApiVersion(1, 41)).ShouldBe(0);
        new[] { new EngineApiVersion(1, 41), new EngineApiVersion(1, 9), new EngineApiVersion(1, 40) }.Order()
            .ShouldBe([new EngineApiVersion(1, 9), new EngineApiVersion(1, 40), new EngineApiVersion(1, 41)]);
    }

    [Fact]
    public void ToString_prints_major_dot_minor()
    {
        new EngineApiVersion(1, 41).ToString().ShouldBe("1.41");
    }

    [Theory]
    [InlineData("1.43", "1.41")]
    [InlineData("2.0", "1.41")]
    [InlineData("1.41", "1.41")]
    [InlineData("1.40", "1.40")]
    public void Negotiate_picks_the_pinned_version_capped_by_the_server(string server, string expected)
    {
        EngineApiVersion.Negotiate(EngineApiVersion.Parse(server)).ShouldBe(EngineApiVersion.Parse(expected));
    }

    [Fact]
    public void Negotiate_with_a_server_older_than_the_minimum_is_refused_with_the_versions()
    {
        var ex = Should.Throw<EngineApiTooOldException>(() => EngineApiVersion.Negotiate(new EngineApiVersion(1, 39)));

        ex.ServerVersion.ShouldBe("1.39");
        ex.MinimumVersion.ShouldBe("1.40");
        ex.Message.ShouldContain("upgrade");
    }
}
