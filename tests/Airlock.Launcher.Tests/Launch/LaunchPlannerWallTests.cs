using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Tests.Launch;

/// <summary>The wall as the planner builds it: mount sources as the engine will see them, the project's protected parts, and the defaults.</summary>
public sealed class LaunchPlannerWallTests : IDisposable
{
    private readonly LaunchPlannerFixture _host = new();

    private string Link(string relative, string target)
    {
        var path = Path.Combine(_host.Home, relative);
        File.CreateSymbolicLink(path, target);
        return path;
    }

    [Fact]
    public void A_volume_through_a_link_to_an_engines_directory_is_refused_naming_both_paths()
    {
        var link = Link("run-link", "/run");

        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { Volumes = [$"{link}:/x"] }));

        ex.Message.ShouldBe($"--volume '{link}:/x': {link} (which is /run) would expose a container engine socket (and so the whole host) to the sandbox; mount a narrower directory");
    }

    [Theory]
    [InlineData("/proc/self/root")]
    [InlineData("/proc/1/root/etc")]
    [InlineData("/sys")]
    [InlineData("/dev/shm")]
    public void A_volume_from_proc_sys_or_dev_is_refused(string source)
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { Volumes = [$"{source}:/x"] }));

        ex.Message.ShouldStartWith($"--volume '{source}:/x': {source} is part of /proc, /sys or /dev");
    }

    [Fact]
    public void A_volume_through_a_link_into_proc_is_checked_and_mounted_as_what_it_resolves_to()
    {
        var link = Link("self-root", "/proc/self/root");

        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { Volumes = [$"{link}:/x"] }));
        var spec = _host.Plan(request: _host.Request with { Volumes = [$"{link}/etc:/x:ro"] }).Spec;

        ex.Message.ShouldContain($"{link} (which is /) would expose");
        spec.Mounts[^1].ShouldBe(new SandboxMount("/etc", "/x", ReadOnly: true), "the engine gets the path that was checked, not the link");
    }

    [Fact]
    public void Volumes_inside_or_holding_the_state_directory_are_refused_however_they_are_reached()
    {
        Directory.CreateDirectory(_host.Paths.NamespacesDir);
        var link = Link("state-link", _host.Paths.Root);

        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with
        {
            Volumes = [$"{_host.Paths.NamespacesDir}:/a", "~:/b", $"{link}/namespaces:/c"],
        }));

        ex.Message.ShouldStartWith("this launch has 3 problems:");
        ex.Message.Split('\n').Skip(1).ShouldAllBe(line => line.Contains("Airlock's state directory"));
    }

    [Fact]
    public void A_volume_through_a_harmless_link_is_mounted_from_its_target()
    {
        var data = _host.CreateDirectory("data");
        var link = Link("data-link", data);

        var spec = _host.Plan(request: _host.Request with { Volumes = [$"{link}:/data:ro"] }).Spec;

        spec.Mounts[^1].ShouldBe(new SandboxMount(data, "/data", ReadOnly: true));
    }

    [Fact]
    public void The_home_directory_as_the_project_needs_a_yes()
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { ProjectDir = _host.Home }));

        ex.Message.ShouldBe($"refusing to mount {_host.Home} as the project without a yes: it is your home directory, so the sandbox could change your shell's start-up files, your keys and every other file of yours. cd into a project directory, or pass --yes to mount it anyway");
        _host.Plan(request: _host.Request with { ProjectDir = _host.Home, BroadProjectConfirmed = true }).Spec.WorkingDirectory.ShouldBe(_host.Home);
    }

    [Fact]
    public void With_a_yes_a_project_holding_the_state_directory_gets_it_hidden_by_an_empty_read_only_tmpfs()
    {
        var parent = Path.GetDirectoryName(_host.Home)!;

        Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { ProjectDir = parent })).Message.ShouldContain("--yes");
        var spec = _host.Plan(request: _host.Request with { ProjectDir = parent, BroadProjectConfirmed = true }).Spec;

        spec.Tmpfs[_host.Paths.Root].ShouldStartWith("ro,");
    }

    [Fact]
    public void A_project_inside_the_state_directory_is_refused_even_with_a_yes()
    {
        var inside = Directory.CreateDirectory(_host.Paths.NamespaceHome("other")).FullName;

        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: _host.Request with { ProjectDir = inside, BroadProjectConfirmed = true }));

        ex.Message.ShouldContain("inside Airlock's state directory");
    }

    [Fact]
    public void The_git_dir_is_pinned_and_what_git_runs_from_is_read_only()
    {
        foreach (var dir in new[] { ".git/hooks", ".git/info", ".git/objects", ".vscode" })
        {
            _host.CreateDirectory($"home/src/project/{dir}");
        }

        _host.Write("home/src/project/.git/config", "[core]\n\tbare = false\n");
        _host.Write("home/src/project/.envrc", "export A=1\n");
        var git = Path.Combine(_host.Project, ".git");

        var mounts = _host.Plan().Spec.Mounts;

        var project = mounts.ToList().IndexOf(new SandboxMount(_host.Project, _host.Project));
        mounts.Skip(project + 1).Take(6).ShouldBe(
        [
            new SandboxMount(git, git),
            new SandboxMount(Path.Combine(git, "config"), Path.Combine(git, "config"), ReadOnly: true),
            new SandboxMount(Path.Combine(git, "hooks"), Path.Combine(git, "hooks"), ReadOnly: true),
            new SandboxMount(Path.Combine(git, "info"), Path.Combine(git, "info"), ReadOnly: true),
            new SandboxMount(Path.Combine(_host.Project, ".envrc"), Path.Combine(_host.Project, ".envrc"), ReadOnly: true),
            new SandboxMount(Path.Combine(_host.Project, ".vscode"), Path.Combine(_host.Project, ".vscode"), ReadOnly: true),
        ]);
    }

    [Fact]
    public void A_namespace_may_leave_named_protected_paths_writable()
    {
        _host.Write("home/src/project/.envrc", "export A=1\n");
        _host.CreateDirectory("home/src/project/.vscode");

        var mounts = _host.Plan(LaunchPlannerFixture.Namespace with { WritableProjectPaths = [".envrc"] }).Spec.Mounts;

        mounts.ShouldNotContain(m => m.Target.EndsWith("/.envrc", StringComparison.Ordinal));
        mounts.ShouldContain(m => m.Target.EndsWith("/.vscode", StringComparison.Ordinal) && m.ReadOnly);
    }

    [Fact]
    public void A_hooks_path_inside_the_project_is_read_only_too()
    {
        _host.Write("home/src/project/.git/config", "[core]\n\thooksPath = .husky/_\n");
        _host.CreateDirectory("home/src/project/.husky/_");

        var mounts = _host.Plan().Spec.Mounts;

        mounts.ShouldContain(new SandboxMount(Path.Combine(_host.Project, ".husky"), Path.Combine(_host.Project, ".husky"), ReadOnly: true));
    }

    [Fact]
    public void A_git_file_pointing_elsewhere_is_read_only()
    {
        _host.Write("home/src/project/.git", "gitdir: /elsewhere/.git/worktrees/project\n");

        var mounts = _host.Plan().Spec.Mounts;

        mounts.ShouldContain(new SandboxMount(Path.Combine(_host.Project, ".git"), Path.Combine(_host.Project, ".git"), ReadOnly: true));
    }

    [Fact]
    public void A_planted_commondir_stops_the_launch_with_how_to_check_and_remove_it()
    {
        _host.Write("home/src/project/.git/commondir", "../evil\n");

        var ex = Should.Throw<LauncherException>(() => _host.Plan());

        ex.Message.ShouldContain(".git/commondir exists");
        ex.Message.ShouldContain("rm ");
    }

    [Fact]
    public void A_protected_path_that_is_a_link_is_left_out_with_a_warning_rather_than_mounting_its_target()
    {
        var secret = _host.Write("secret", "host only\n");
        File.CreateSymbolicLink(Path.Combine(_host.Project, ".envrc"), secret);

        var plan = _host.Plan();

        plan.Spec.Mounts.ShouldNotContain(m => m.Source == secret || m.Target.EndsWith("/.envrc", StringComparison.Ordinal));
        plan.Warnings.ShouldContain(w => w.Contains(".envrc") && w.Contains("symbolic link"));
    }

    [Fact]
    public void By_default_the_image_is_read_only_with_2_GiB_scratch_dirs_and_all_cpus_but_one()
    {
        var spec = _host.Planner(hostCpus: 8).Plan("work", LaunchPlannerFixture.Namespace, _host.Request).Spec;

        spec.Security.ReadOnlyRootfs.ShouldBeTrue();
        spec.Security.Nesting.ShouldBeFalse();
        spec.Tmpfs.ShouldBe(new Dictionary<string, string>
        {
            ["/tmp"] = "rw,nosuid,nodev,exec,mode=1777,size=2147483648",
            ["/var/tmp"] = "rw,nosuid,nodev,exec,mode=1777,size=2147483648",
        });
        spec.Limits.Cpus.ShouldBe(7);
        _host.Planner(hostCpus: 1).Plan("work", LaunchPlannerFixture.Namespace, _host.Request).Spec.Limits.Cpus.ShouldBe(1);
    }

    [Fact]
    public void Config_sets_the_scratch_size_gives_the_writable_image_back_lifts_the_cpu_limit_and_asks_for_nesting()
    {
        var small = _host.Plan(LaunchPlannerFixture.Namespace with { Limits = new(null, null, null, TmpBytes: 64L * 1024 * 1024) }).Spec;
        var open = _host.Plan(LaunchPlannerFixture.Namespace with { Limits = new(null, 0, null, TmpBytes: 0), Nesting = true }).Spec;

        small.Tmpfs["/tmp"].ShouldEndWith(",size=67108864");
        open.Security.ReadOnlyRootfs.ShouldBeFalse();
        open.Tmpfs.ShouldBeEmpty();
        open.Limits.Cpus.ShouldBeNull();
        open.Security.Nesting.ShouldBeTrue();
    }

    public void Dispose() => _host.Dispose();
}
