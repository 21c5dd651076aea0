using System.Text.Json;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Every kind of fix `airlock doctor` prints, run as printed (its `command` in --json), by the user doctor ran as, with
/// the same environment: afterwards doctor finds nothing. The base image's fixes run as a user made for the test, whose
/// rootless podman storage can lose its base image without touching anyone else's.
/// </summary>
public sealed class DoctorFixTests(SharedNamespaces shared)
{
    private const string BaseImage = "localhost/airlock-base:bookworm";

    private static (string Code, string Fix, string? Command)[] Problems(ProcessResult doctor)
    {
        using var report = JsonDocument.Parse(doctor.Stdout);
        return report.RootElement.GetProperty("problems").EnumerateArray()
            .Select(p => (p.GetProperty("code").GetString()!, p.GetProperty("fix").GetString()!, p.GetProperty("command").GetString()))
            .ToArray();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_namespace_without_its_image_or_home_is_fixed_by_the_commands_doctor_prints(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = await ws.CreateNamespaceAsync();
        using (await EngineImageLock.AcquireAsync(engine, asTestUser: false))
        {
            await Engines.RemoveImageAsync(engine, ws.Image(ns));
        }

        Directory.Delete(ws.NamespaceHome(ns), recursive: true);

        var before = await ws.AirlockAsync("doctor", "--json");

        before.ExitCode.ShouldBe(2, before.ToString());
        var problems = Problems(before);
        problems.Select(p => p.Code).ShouldBe(["namespace-image-missing", "namespace-home-missing"]);
        foreach (var (code, fix, command) in problems)
        {
            command.ShouldNotBeNull($"{code} names the command that fixes it");
            fix.ShouldContain(command);
            command.ShouldStartWith("airlock ");
            (await ws.RunAsync(command.Split(' ').Skip(1), timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();
        }

        var after = await ws.AirlockAsync("doctor", "--json");
        after.ExitCode.ShouldBe(0, after.ToString());
        (await ws.AirlockAsync(ns, "test", "-f", "/home/airlock/.bashrc")).ShouldSucceed();
    }

    [Fact]
    public async Task A_missing_base_image_is_fixed_by_the_import_doctor_prints_and_without_the_tarball_by_the_script_it_names()
    {
        await using var user = await ThrowawayUser.CreateAsync(sudo: true);
        (await ProcessRunner.RunAsync("bash", [Path.Combine(AirlockBinary.RepoRoot, "scripts", "prepare-user.sh"), "--user", user.Name], timeout: TimeSpan.FromMinutes(5))).ShouldSucceed();
        var env = new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = "podman", ["AIRLOCK_HOME"] = Path.Combine(user.Home, ".airlock") };
        var noTarball = new Dictionary<string, string?>(env) { ["AIRLOCK_CACHE"] = Path.Combine(user.Home, "no-cache") };

        foreach (var (settings, kind, expected) in new[] { (env, "tarball", "podman import "), (noTarball, "no tarball", "bash ") })
        {
            (await user.RunAsync("podman", ["rmi", BaseImage], settings)).ShouldSucceed();
            var before = await user.RunAsync(AirlockBinary.Path, ["doctor", "--json"], settings);
            before.ExitCode.ShouldBe(2, $"{kind}:\n{before}");
            var (code, fix, command) = Problems(before).Single();
            code.ShouldBe("base-image-missing");
            command.ShouldNotBeNull().ShouldStartWith(expected, Case.Sensitive, kind);
            fix.ShouldNotContain("sudo scripts/", Case.Sensitive, "a relative path, and a sudo that changes root's engines only, fixed nothing");

            (await user.RunAsync("sh", ["-c", command], settings, timeout: TimeSpan.FromMinutes(5))).ShouldSucceed();

            var after = await user.RunAsync(AirlockBinary.Path, ["doctor", "--json"], settings);
            after.ExitCode.ShouldBe(0, $"{kind}: the fix doctor printed did not fix it:\n{after}");
        }
    }

    [Fact]
    public async Task A_malformed_or_unanswered_AIRLOCK_ENGINE_is_fixed_by_unsetting_it_as_doctor_says()
    {
        await using var ws = Workspace.Create(Engines.Podman);
        foreach (var (value, code) in new[] { ("foo", "engine-setting-invalid"), ("unix:///nonexistent.sock", "engine-unreachable") })
        {
            var before = await ws.RunAsync(["doctor", "--json"], env: new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = value });
            before.ExitCode.ShouldNotBe(0, before.ToString());
            var problem = Problems(before).Single();
            problem.Code.ShouldBe(code);
            problem.Fix.ShouldContain("unset");

            var after = await ws.RunAsync(["doctor", "--json"], env: new Dictionary<string, string?> { ["AIRLOCK_ENGINE"] = null });
            after.ExitCode.ShouldBe(0, after.ToString());
        }
    }
}
