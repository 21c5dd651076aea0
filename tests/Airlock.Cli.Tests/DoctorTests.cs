using System.Text.Json;
using Airlock.Cli.Tests.Infrastructure;

namespace Airlock.Cli.Tests;

public sealed class DoctorTests
{
    private static Dictionary<string, string?> Env(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public async Task Doctor_json_reports_the_engine_chosen_by_AIRLOCK_ENGINE(string engine)
    {
        var result = await AirlockBinary.RunAsync(["doctor", "--json"], Env(("AIRLOCK_ENGINE", engine)));

        result.ExitCode.ShouldBe(0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        root.GetProperty("schemaVersion").GetInt32().ShouldBe(1);
        root.GetProperty("status").GetString().ShouldBe("healthy");
        root.GetProperty("healthy").GetBoolean().ShouldBeTrue();
        root.GetProperty("airlockVersion").GetString().ShouldStartWith("0.");

        var e = root.GetProperty("engine");
        e.GetProperty("kind").GetString().ShouldBe(engine);
        e.GetProperty("version").GetString().ShouldNotBeNullOrWhiteSpace();
        e.GetProperty("serverApiVersion").GetString()!.ShouldMatch(@"^1\.\d+$");
        e.GetProperty("negotiatedApiVersion").GetString().ShouldBe("1.41");
        e.GetProperty("rootless").GetBoolean().ShouldBeFalse();
        e.GetProperty("endpoint").GetString().ShouldBe(TestEngines.Endpoint(engine).ToString());
        e.GetProperty("source").GetString().ShouldStartWith($"AIRLOCK_ENGINE={engine}");
        e.GetProperty("startedByAirlock").GetBoolean().ShouldBeFalse();
        e.GetProperty("os").GetString().ShouldBe("linux");

        var candidates = root.GetProperty("candidates").EnumerateArray().ToList();
        candidates.ShouldNotBeEmpty();
        candidates.ShouldAllBe(c => c.GetProperty("expectedKind").GetString() == engine);
        var answered = candidates.Single(c => c.GetProperty("answered").GetBoolean());
        answered.GetProperty("endpoint").GetString().ShouldBe(TestEngines.Endpoint(engine).ToString());
        answered.GetProperty("outcome").GetString().ShouldBe("answers");

        var image = root.GetProperty("baseImage");
        image.GetProperty("name").GetString().ShouldBe(TestEngines.BaseImage);
        image.GetProperty("setting").GetString().ShouldBe("default");
        image.GetProperty("present").GetBoolean().ShouldBeTrue();
        image.GetProperty("id").GetString().ShouldNotBeNullOrEmpty();
        image.GetProperty("sizeBytes").GetInt64().ShouldBeGreaterThan(0);

        root.GetProperty("problems").GetArrayLength().ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public async Task Doctor_shows_a_plain_table_when_output_is_not_a_terminal(string engine)
    {
        var result = await AirlockBinary.RunAsync(["doctor"], Env(("AIRLOCK_ENGINE", engine)));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain($"ok: {engine} ");
        result.Stdout.ShouldContain(TestEngines.Endpoint(engine).ToString());
        result.Stdout.ShouldContain("Everything Airlock needs is in place.");
        result.Stdout.ShouldNotContain("\u001b[");
        result.Stdout.ShouldNotContain("✔");
    }

    [Fact]
    public async Task Doctor_with_no_engine_at_the_given_socket_exits_3_and_says_how_to_start_one()
    {
        var result = await AirlockBinary.RunAsync(["doctor"], Env(("AIRLOCK_ENGINE", "unix:///nonexistent.sock")));

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Stdout.ShouldContain("none found");
        result.Stdout.ShouldContain("unix:///nonexistent.sock");
        result.Stdout.ShouldContain("no socket");
        result.Stdout.ShouldContain("fix: start the engine at unix:///nonexistent.sock");
    }

    [Fact]
    public async Task Doctor_json_with_no_engine_lists_the_attempt_and_the_fix()
    {
        var result = await AirlockBinary.RunAsync(["doctor", "--json"], Env(("AIRLOCK_ENGINE", "unix:///nonexistent.sock")));

        result.ExitCode.ShouldBe(3, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        root.GetProperty("status").GetString().ShouldBe("no-engine");
        root.GetProperty("engine").ValueKind.ShouldBe(JsonValueKind.Null);
        var candidate = root.GetProperty("candidates").EnumerateArray().Single();
        candidate.GetProperty("endpoint").GetString().ShouldBe("unix:///nonexistent.sock");
        candidate.GetProperty("expectedKind").GetString().ShouldBe("unknown");
        candidate.GetProperty("tried").GetBoolean().ShouldBeTrue();
        candidate.GetProperty("answered").GetBoolean().ShouldBeFalse();
        candidate.GetProperty("outcome").GetString().ShouldBe("no socket");
        root.GetProperty("baseImage").GetProperty("present").ValueKind.ShouldBe(JsonValueKind.Null);
        var problem = root.GetProperty("problems").EnumerateArray().Single();
        problem.GetProperty("code").GetString().ShouldBe("engine-unreachable");
        problem.GetProperty("fix").GetString()!.ShouldContain("start the engine at unix:///nonexistent.sock");
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("unix://relative.sock")]
    [InlineData("tcp://no-port")]
    public async Task Doctor_with_a_malformed_AIRLOCK_ENGINE_exits_2_and_says_which_values_work(string value)
    {
        var result = await AirlockBinary.RunAsync(["doctor", "--json"], Env(("AIRLOCK_ENGINE", value)));

        result.ExitCode.ShouldBe(2, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var problem = doc.RootElement.GetProperty("problems").EnumerateArray().Single();
        problem.GetProperty("code").GetString().ShouldBe("engine-setting-invalid");
        problem.GetProperty("message").GetString()!.ShouldContain("AIRLOCK_ENGINE");
        problem.GetProperty("fix").GetString()!.ShouldContain("podman, docker, unix:///path/to.sock or tcp://host:port");
    }

    [Theory]
    [MemberData(nameof(TestEngines.Names), MemberType = typeof(TestEngines))]
    public async Task Doctor_with_a_missing_base_image_exits_2_and_says_what_to_do(string engine)
    {
        var result = await AirlockBinary.RunAsync(
            ["doctor", "--json"], Env(("AIRLOCK_ENGINE", engine), ("AIRLOCK_BASE_IMAGE", "localhost/airlock-no-such-image:1")));

        result.ExitCode.ShouldBe(2, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var root = doc.RootElement;
        root.GetProperty("status").GetString().ShouldBe("problems");
        var image = root.GetProperty("baseImage");
        image.GetProperty("name").GetString().ShouldBe("localhost/airlock-no-such-image:1");
        image.GetProperty("setting").GetString().ShouldBe("AIRLOCK_BASE_IMAGE");
        image.GetProperty("present").GetBoolean().ShouldBeFalse();
        var problem = root.GetProperty("problems").EnumerateArray().Single();
        problem.GetProperty("code").GetString().ShouldBe("base-image-missing");
        problem.GetProperty("fix").GetString()!.ShouldContain("unset AIRLOCK_BASE_IMAGE");
    }

    [Fact]
    public async Task Doctor_without_AIRLOCK_ENGINE_takes_the_first_candidate_that_answers_and_lists_the_rest()
    {
        var result = await AirlockBinary.RunAsync(["doctor", "--json"], Env(("XDG_RUNTIME_DIR", null)));

        result.ExitCode.ShouldBe(0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        var candidates = doc.RootElement.GetProperty("candidates").EnumerateArray().ToList();
        candidates.Select(c => c.GetProperty("endpoint").GetString()).ShouldContain("unix:///var/run/docker.sock");
        candidates.Count(c => c.GetProperty("answered").GetBoolean()).ShouldBe(1);
        var chosen = doc.RootElement.GetProperty("engine").GetProperty("endpoint").GetString();
        candidates.Single(c => c.GetProperty("answered").GetBoolean()).GetProperty("endpoint").GetString().ShouldBe(chosen);
        candidates.SkipWhile(c => !c.GetProperty("answered").GetBoolean()).Skip(1)
            .ShouldAllBe(c => !c.GetProperty("tried").GetBoolean());
    }
}
