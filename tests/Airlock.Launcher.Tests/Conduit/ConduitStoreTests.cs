using Airlock.Launcher.Conduit;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Conduit;

public sealed class ConduitStoreTests
{
    [Fact]
    public void A_fresh_home_has_no_settings()
    {
        using var home = new TempDirectory();

        new ConduitStore(home.Path).Load().ShouldBe(ConduitSettings.Empty);
    }

    [Fact]
    public void Settings_round_trip_and_the_file_is_owner_only()
    {
        using var home = new TempDirectory();
        var store = new ConduitStore(home.Path);
        var settings = new ConduitSettings { Endpoint = "http://127.0.0.1:11434/v1", Preset = "ollama", ApiKey = "k" }.WithLastModel("codex", "qwen3");

        store.Save(settings);
        var loaded = store.Load();

        loaded.Endpoint.ShouldBe("http://127.0.0.1:11434/v1");
        loaded.Preset.ShouldBe("ollama");
        loaded.ApiKey.ShouldBe("k");
        loaded.LastModels.ShouldBe(new Dictionary<string, string> { ["codex"] = "qwen3" });
        File.GetUnixFileMode(store.File).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void The_last_model_is_kept_per_agent()
    {
        var settings = ConduitSettings.Empty.WithLastModel("codex", "a").WithLastModel("pi", "b").WithLastModel("codex", "c");

        settings.LastModels.ShouldBe(new Dictionary<string, string> { ["codex"] = "c", ["pi"] = "b" });
    }

    [Fact]
    public void A_broken_settings_file_is_named_in_the_error()
    {
        using var home = new TempDirectory();
        var file = home.Write(ConduitStore.RelativePath, "{ not json");

        var ex = Should.Throw<ConduitException>(() => new ConduitStore(home.Path).Load());

        ex.Message.ShouldStartWith(file);
        File.ReadAllText(file).ShouldBe("{ not json");
    }

    [Fact]
    public void A_hand_edited_bad_endpoint_is_refused_naming_the_file()
    {
        using var home = new TempDirectory();
        var file = home.Write(ConduitStore.RelativePath, """{ "endpoint": "gopher://x" }""");

        var ex = Should.Throw<ConduitException>(() => new ConduitStore(home.Path).Load());

        ex.Message.ShouldStartWith(file);
        ex.Message.ShouldContain("gopher");
    }

    [Fact]
    public void Atomic_writes_keep_an_existing_files_mode_and_leave_no_temp_file()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("x.json", "old");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        HomeFiles.WriteText(dir.Path, "x.json", "new");

        File.ReadAllText(file).ShouldBe("new");
        File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Directory.GetFiles(dir.Path).ShouldBe([file]);
    }
}
