using Airlock.Launcher.Config;

namespace Airlock.Launcher.Tests.Config;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1024", 1024L)]
    [InlineData("10k", 10L * 1024)]
    [InlineData("10kb", 10L * 1024)]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("512M", 512L * 1024 * 1024)]
    [InlineData("512MiB", 512L * 1024 * 1024)]
    [InlineData("8g", 8L * 1024 * 1024 * 1024)]
    [InlineData("8GB", 8L * 1024 * 1024 * 1024)]
    [InlineData("1.5GiB", 3L * 512 * 1024 * 1024)]
    [InlineData("2t", 2L * 1024 * 1024 * 1024 * 1024)]
    [InlineData(" 64m ", 64L * 1024 * 1024)]
    public void Parse_reads_sizes_as_people_write_them(string text, long bytes)
    {
        ByteSize.TryParse(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("lots")]
    [InlineData("-1g")]
    [InlineData("8x")]
    [InlineData("1,5g")]
    public void Parse_refuses_what_is_not_a_size(string text)
    {
        ByteSize.TryParse(text, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(8L * 1024 * 1024 * 1024, "8g")]
    [InlineData(512L * 1024 * 1024, "512m")]
    [InlineData(1536L * 1024 * 1024, "1536m")]
    [InlineData(1000L, "1000")]
    public void Format_writes_the_largest_whole_unit(long bytes, string text)
    {
        ByteSize.Format(bytes).ShouldBe(text);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(6L * 1024 * 1024)]
    [InlineData(3L * 512 * 1024 * 1024)]
    [InlineData(64L * 1024 * 1024 * 1024)]
    public void Parse_of_Format_gives_the_same_bytes(long bytes)
    {
        ByteSize.TryParse(ByteSize.Format(bytes), out var parsed).ShouldBeTrue();
        parsed.ShouldBe(bytes);
    }
}
