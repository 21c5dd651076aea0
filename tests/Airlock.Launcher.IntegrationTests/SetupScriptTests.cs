using System.Text.Json;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// The README's first command, run the two ways a person does: as root on a machine without sudo, and as a normal user
/// with sudo. Each runs the real scripts/setup.sh end to end (engines, base image, the user prepared, airlock installed,
/// doctor, a first sandbox), hermetically: airlock is installed under a scratch prefix from this build
/// (AIRLOCK_INSTALL_FROM; the publish itself is the one step not repeated here), and the 'default' namespace the first
/// sandbox builds comes from a user template of that name (the baked-in one installs whole toolchains).
/// </summary>
public sealed class SetupScriptTests(SharedNamespaces shared)
{
    private static string Script(string name) => Path.Combine(AirlockBinary.RepoRoot, "scripts", name);

    [Fact]
    public async Task Setup_as_root_without_sudo_sets_root_up_and_runs_a_first_sandbox()
    {
        await shared.WarmAsync(Engines.Podman);
        var scratch = Names.NewScratchDir("setup-root");
        var airlockHome = Path.Combine(scratch, "airlock");
        var project = Directory.CreateDirectory(Path.Combine(scratch, "project")).FullName;
        var prefix = Path.Combine(scratch, "prefix");
        // A sudo that must never run: root needs none, and a fresh machine has none.
        var fakeBin = Directory.CreateDirectory(Path.Combine(scratch, "bin")).FullName;
        var sudoCalled = Path.Combine(scratch, "sudo-called");
        File.WriteAllText(Path.Combine(fakeBin, "sudo"), $"#!/bin/sh\ntouch {sudoCalled}\nexit 1\n");
        File.SetUnixFileMode(Path.Combine(fakeBin, "sudo"), (UnixFileMode)0b111_101_101);
        Templates.WriteMarked(Path.Combine(airlockHome, "templates", "default"), "setup-root");
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = $"{fakeBin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["HOME"] = scratch,
            ["AIRLOCK_HOME"] = airlockHome,
            ["AIRLOCK_PREFIX"] = prefix,
            ["AIRLOCK_INSTALL_FROM"] = Path.GetDirectoryName(AirlockBinary.Path),
            ["AIRLOCK_ENGINE"] = null,
            ["DOCKER_HOST"] = null,
            ["AIRLOCK_BASE_IMAGE"] = null,
            ["SUDO_USER"] = null,
            ["NO_COLOR"] = "1",
        };
        try
        {
            ProcessResult setup;
            using (await EngineImageLock.AcquireAsync(Engines.Podman, asTestUser: false))
            {
                setup = await ProcessRunner.RunAsync("bash", [Script("setup.sh")], env, project, timeout: TimeSpan.FromMinutes(10));
            }

            setup.ShouldSucceed();
            File.Exists(sudoCalled).ShouldBeFalse("root must not go through sudo");
            setup.Stderr.ShouldContain("setting Airlock up for root");
            setup.Stdout.ShouldContain($"as root (uid 0), in {project}");
            File.Exists(Path.Combine(prefix, "bin", "airlock")).ShouldBeTrue("airlock is installed under AIRLOCK_PREFIX");
            File.ReadAllText(Path.Combine(airlockHome, "config.yaml")).ShouldContain("template: default");
        }
        finally
        {
            using (await EngineImageLock.AcquireAsync(Engines.Podman, asTestUser: false))
            {
                await ProcessRunner.RunAsync(AirlockBinary.Path, ["delete", "namespace", "default", "--force"], env, project);
                await Engines.RemoveImageAsync(Engines.Podman, Names.Image("default", airlockHome));
            }

            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Setup_by_a_user_with_sudo_sets_that_user_up_and_airlock_works_as_them_before_and_after_a_new_login()
    {
        await using var user = await ThrowawayUser.CreateAsync(sudo: true);
        var scratch = Names.NewScratchDir("setup-user");
        // Made 0700; the prefix below it stands for /usr/local, which every user can reach.
        File.SetUnixFileMode(scratch, (UnixFileMode)0b111_101_101);
        var prefix = Path.Combine(scratch, "prefix");
        var project = Path.Combine(user.Home, "project");
        var template = Path.Combine(user.Home, ".airlock", "templates", "default");
        try
        {
            // The user's own files, written as the user: a project, and the fast 'default' template.
            (await user.RunAsync("mkdir", ["-p", project, template])).ShouldSucceed();
            var dockerfile = File.ReadAllText(Path.Combine(Templates.BaseDir, "Dockerfile")).TrimEnd('\n') + "\nRUN echo setup-user > /etc/it-marker\n";
            (await user.RunAsync("touch", [Path.Combine(template, "Dockerfile")])).ShouldSucceed();
            File.WriteAllText(Path.Combine(template, "Dockerfile"), dockerfile); // into the user's own file
            var settings = new Dictionary<string, string?>
            {
                ["AIRLOCK_PREFIX"] = prefix,
                ["AIRLOCK_INSTALL_FROM"] = Path.GetDirectoryName(AirlockBinary.Path),
                ["NO_COLOR"] = "1",
            };

            // The README's command, as the user, in a shell opened before the set-up (so without the docker group).
            var setup = await user.RunAsync("bash", [Script("setup.sh")], settings, project, TimeSpan.FromMinutes(10));

            setup.ShouldSucceed();
            setup.Stderr.ShouldContain("through sudo");
            setup.Stderr.ShouldContain($"setting Airlock up for {user.Name}");
            setup.Stdout.ShouldContain($"(uid {user.Uid}), in {project}", Case.Sensitive, "the first sandbox runs with the user's uid (its account inside is called airlock)");
            setup.Stderr.ShouldContain($"{user.Name} is now in the 'docker' group, which counts from {user.Name}'s next login");
            (await ProcessRunner.RunAsync("id", ["-nG", user.Name])).Stdout.Split(' ', StringSplitOptions.TrimEntries).ShouldContain("docker");
            var config = Path.Combine(user.Home, ".airlock", "config.yaml");
            (await ThrowawayUser.OwnerOfAsync(config)).ShouldBe(user.Uid, "the demo namespace is the user's, made as the user");

            var airlock = Path.Combine(prefix, "bin", "airlock");
            foreach (var newLogin in new[] { false, true })
            {
                var when = newLogin ? "after a new login" : "in the shell that ran the set-up";
                var doctor = await user.RunAsync(airlock, ["doctor", "--json"], settings, project, newLogin: newLogin);
                doctor.ExitCode.ShouldBe(0, $"{when}:\n{doctor}");
                using (var report = JsonDocument.Parse(doctor.Stdout))
                {
                    report.RootElement.GetProperty("engine").GetProperty("kind").GetString().ShouldBe("podman", when);
                    report.RootElement.GetProperty("engine").GetProperty("rootless").GetBoolean().ShouldBeTrue(when);
                    report.RootElement.GetProperty("namespaces").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("default");
                }

                var file = newLogin ? "made-after-login" : "made-before-login";
                var run = await user.RunAsync(airlock, ["--", "sh", "-c", $"touch {file}; cat /etc/it-marker"], settings, project, newLogin: newLogin);
                run.ShouldSucceed().Stdout.ShouldContain("setup-user", Case.Sensitive, when);
                (await ThrowawayUser.OwnerOfAsync(Path.Combine(project, file))).ShouldBe(user.Uid, $"a file made inside belongs to the user ({when})");
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
