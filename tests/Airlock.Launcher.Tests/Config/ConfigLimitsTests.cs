using Airlock.Launcher.Config;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using static Airlock.Launcher.Tests.Config.ConfigAssert;

namespace Airlock.Launcher.Tests.Config;

public sealed class ConfigLimitsTests
{
    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("8g", 8L * 1024 * 1024 * 1024)]
    [InlineData("1.5GiB", 3L * 512 * 1024 * 1024)]
    [InlineData("0", 0L)]
    public void Memory_is_read_as_a_size(string text, long bytes)
    {
        Namespace($"    limits:\n      memory: {text}\n").Limits.ShouldBe(new LimitsConfig(bytes, null, null));
    }

    [Fact]
    public void Cpus_and_pids_are_read_as_numbers()
    {
        Namespace("    limits:\n      cpus: 0.5\n      pids: 100\n").Limits.ShouldBe(new LimitsConfig(null, 0.5, 100));
    }

    [Fact]
    public void Zero_pids_is_kept_as_zero_so_the_limit_can_be_lifted()
    {
        Namespace("    limits:\n      pids: 0\n").Limits.Pids.ShouldBe(0);
    }

    [Fact]
    public void No_limits_block_keeps_every_default()
    {
        Namespace("").Limits.ShouldBe(LimitsConfig.Empty);
    }

    [Fact]
    public void Every_bad_limit_is_reported_at_its_line()
    {
        const string yaml = """
            namespaces:
              work:
                image: i
                buildDir: b
                limits:
                  memory: lots
                  cpus: two
                  pids: -1
                  disk: 10g
            """;

        var errors = ErrorsOf(yaml);

        errors.ShouldBe(
        [
            new ValidationError("namespaces.work.limits.memory", $"'lots' is not a size: {ByteSize.Grammar}; 0 for no limit", 6),
            new ValidationError("namespaces.work.limits.cpus", "'two' is not a number of CPUs (e.g. 2 or 0.5)", 7),
            new ValidationError("namespaces.work.limits.pids", "'-1' is not a whole number of processes (0 for no limit)", 8),
            new ValidationError("namespaces.work.limits.disk", "is not one of memory, cpus, pids, tmp", 9),
        ]);
    }

    [Fact]
    public void Limits_that_are_not_a_mapping_are_refused()
    {
        var error = SingleErrorOf("namespaces:\n  work:\n    image: i\n    buildDir: b\n    limits: 8g\n");

        error.ShouldBe(new ValidationError("namespaces.work.limits", "must be a mapping with memory:, cpus:, pids: or tmp:", 5));
    }
}
