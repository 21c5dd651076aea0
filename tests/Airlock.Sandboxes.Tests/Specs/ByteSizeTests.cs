using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Tests.Specs;

/// <summary>The one size grammar of config.yaml, the CLI's --memory and --max-memory, and serve --node memory=.</summary>
public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1024", 1024L)]
    [InlineData("100b", 100L)]
    [InlineData("10k", 10L * 1024)]
    [InlineData("10kb", 10L * 1024)]
    [InlineData("10KiB", 10L * 1024)]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("512M", 512L * 1024 * 1024)]
    [InlineData("512MB", 512L * 1024 * 1024)]
    [InlineData("512MiB", 512L * 1024 * 1024)]
    [InlineData("512 MiB", 512L * 1024 * 1024)]
    [InlineData("8g", 8L * 1024 * 1024 * 1024)]
    [InlineData("8G", 8L * 1024 * 1024 * 1024)]
    [InlineData("8GB", 8L * 1024 * 1024 * 1024)]
    [InlineData("1.5GiB", 3L * 512 * 1024 * 1024)]
    [InlineData("0.5k", 512L)]
    [InlineData("2t", 2L * 1024 * 1024 * 1024 * 1024)]
    [InlineData(" 64m ", 64L * 1024 * 1024)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Parse_reads_sizes_as_people_write_them(string text, long bytes)
    {
        ByteSize.TryParse(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(bytes);
    }

    [Fact]
    public void A_fraction_of_a_byte_is_dropped()
    {
        ByteSize.TryParse("1.9", out var bytes).ShouldBeTrue();
        bytes.ShouldBe(1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("lots")]
    [InlineData("-1g")]
    [InlineData("+1g")]
    [InlineData("8x")]
    [InlineData("1,5g")]
    [InlineData("1.5.5g")]
    [InlineData(".5g")]
    [InlineData("1e3")]
    [InlineData("0x10")]
    [InlineData("1bb")]
    [InlineData("1ib")]
    [InlineData("1gg")]
    [InlineData("1p")]
    [InlineData("١٢m")]
    [InlineData("9223372036854775808")]
    [InlineData("8388608t")]
    [InlineData("99999999999999999999t")]
    public void Parse_refuses_what_is_not_a_size(string? text)
    {
        ByteSize.TryParse(text, out var bytes).ShouldBeFalse();
        bytes.ShouldBe(0);
    }

    [Theory]
    [InlineData(8L * 1024 * 1024 * 1024, "8g")]
    [InlineData(512L * 1024 * 1024, "512m")]
    [InlineData(1536L * 1024 * 1024, "1536m")]
    [InlineData(1000L, "1000")]
    [InlineData(0L, "0")]
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
    [InlineData(long.MaxValue)]
    public void Parse_of_Format_gives_the_same_bytes(long bytes)
    {
        ByteSize.TryParse(ByteSize.Format(bytes), out var parsed).ShouldBeTrue();
        parsed.ShouldBe(bytes);
    }
}
