using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Tests.Specs;

public sealed class IsolationLevelTests
{
    [Theory]
    [InlineData("container", IsolationLevel.Container)]
    [InlineData("gvisor", IsolationLevel.Gvisor)]
    [InlineData(" gVisor ", IsolationLevel.Gvisor)]
    [InlineData("CONTAINER", IsolationLevel.Container)]
    public void Levels_are_parsed_by_name_in_any_case(string text, IsolationLevel level)
    {
        IsolationLevels.Parse(text).ShouldBe(level);
        IsolationLevels.TryParse(text).ShouldBe(level);
    }

    [Theory]
    [InlineData("microvm")]
    [InlineData("runsc")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_level_is_refused_naming_the_levels_there_are(string? text)
    {
        IsolationLevels.TryParse(text).ShouldBeNull();
        Should.Throw<FormatException>(() => IsolationLevels.Parse(text)).Message.ShouldBe($"'{text}' is not an isolation level (container, gvisor)");
    }

    [Fact]
    public void Every_level_has_a_name_that_parses_back_to_it()
    {
        foreach (var level in IsolationLevels.All)
        {
            IsolationLevels.Parse(IsolationLevels.Name(level)).ShouldBe(level);
        }

        IsolationLevels.Names.ShouldBe("container, gvisor");
    }

    [Fact]
    public void A_spec_is_an_ordinary_container_unless_asked()
    {
        new SandboxSpec { Image = "debian" }.Isolation.ShouldBe(IsolationLevel.Container);
    }
}
