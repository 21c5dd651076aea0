namespace Airlock.Cli.Tests.Hermeticity;

/// <summary>
/// The user-state guard (UserStateTests in every project) is only worth something if it sees a change: make each kind
/// of change a test could make to a user's ~/.airlock, and look.
/// </summary>
public sealed class AirlockHomeSnapshotTests : IDisposable
{
    private readonly TempDirectory _user = new();

    private string AirlockHome => _user.Combine(".airlock");

    private AirlockHomeSnapshot Take() => AirlockHomeSnapshot.Take([AirlockHome]);

    [Fact]
    public void An_untouched_airlock_home_shows_no_difference_even_when_read()
    {
        PlantedAirlockHome.Plant(_user.Path);
        var before = Take();

        _ = File.ReadAllText(Path.Combine(AirlockHome, "config.yaml"));

        before.DifferencesFrom(Take()).ShouldBeEmpty();
    }

    [Fact]
    public void A_rewritten_byte_is_reported_even_with_the_same_size_and_the_old_mtime_put_back()
    {
        PlantedAirlockHome.Plant(_user.Path);
        var config = Path.Combine(AirlockHome, "config.yaml");
        var mtime = File.GetLastWriteTimeUtc(config);
        var before = Take();

        var text = File.ReadAllText(config);
        File.WriteAllText(config, text.Replace("default", "defauLt", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(config, mtime);

        before.DifferencesFrom(Take()).ShouldHaveSingleItem().ShouldStartWith($"changed: {config}");
    }

    [Fact]
    public void An_airlock_home_created_where_there_was_none_is_reported()
    {
        var before = Take();

        Directory.CreateDirectory(Path.Combine(AirlockHome, "namespaces", "x"));

        var differences = before.DifferencesFrom(Take());
        differences.ShouldContain($"changed: {AirlockHome}\n    was absent\n    now " + differences[0].Split("now ")[1]);
        differences.ShouldContain(d => d.StartsWith($"added: {Path.Combine(AirlockHome, "namespaces")}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_removed_file_a_mode_change_and_a_retargeted_link_are_each_reported()
    {
        PlantedAirlockHome.Plant(_user.Path);
        var link = Path.Combine(AirlockHome, "current");
        File.CreateSymbolicLink(link, "namespaces/default");
        var before = Take();

        File.Delete(Path.Combine(AirlockHome, "containers", "default", "Dockerfile"));
        File.SetUnixFileMode(Path.Combine(AirlockHome, "config.yaml"), UnixFileMode.UserRead);
        File.Delete(link);
        File.CreateSymbolicLink(link, "/etc");

        var differences = before.DifferencesFrom(Take());
        differences.ShouldContain(d => d.StartsWith($"removed: {Path.Combine(AirlockHome, "containers", "default", "Dockerfile")}", StringComparison.Ordinal));
        differences.ShouldContain(d => d.StartsWith($"changed: {Path.Combine(AirlockHome, "config.yaml")}", StringComparison.Ordinal));
        differences.ShouldContain(d => d.StartsWith($"changed: {link}", StringComparison.Ordinal) && d.Contains("link -> /etc", StringComparison.Ordinal));
    }

    public void Dispose() => _user.Dispose();
}
