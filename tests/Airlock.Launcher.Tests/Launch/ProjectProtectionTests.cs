using Airlock.Launcher.Launch;
using Airlock.Launcher.Tests.Infrastructure;

namespace Airlock.Launcher.Tests.Launch;

/// <summary>What is checked after the session: the files git would act on that no mount could keep from being made.</summary>
public sealed class ProjectProtectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Project => _dir.Combine("project");

    [Fact]
    public void A_commondir_planted_during_the_session_is_moved_aside_and_reported()
    {
        _dir.CreateDirectory("project/.git");
        var protection = ProjectProtection.For(Project, [], _dir.Path);
        _dir.Write("project/.git/commondir", "../evil\n");

        var notices = protection.AfterSession();

        File.Exists(_dir.Combine("project", ".git", "commondir")).ShouldBeFalse();
        Directory.GetFiles(_dir.Combine("project", ".git"), "commondir.airlock-removed-*").ShouldHaveSingleItem();
        notices.ShouldHaveSingleItem().ShouldContain("commondir");
    }

    [Fact]
    public void A_repository_made_in_the_session_is_reported_with_the_commands_its_config_and_hooks_would_run()
    {
        _dir.CreateDirectory("project");
        var protection = ProjectProtection.For(Project, [], _dir.Path);
        _dir.Write("project/.git/config", "[core]\n\tfsmonitor = touch /tmp/x\n\tbare = false\n[alias]\n\tst = status\n\tboom = !rm -rf ~\n");
        _dir.Write("project/.git/hooks/pre-commit", "#!/bin/sh\n");
        _dir.Write("project/.git/hooks/pre-push.sample", "#!/bin/sh\n");

        var notice = protection.AfterSession().ShouldHaveSingleItem();

        notice.ShouldContain("core.fsmonitor");
        notice.ShouldContain("alias.boom");
        notice.ShouldContain("hook pre-commit");
        notice.ShouldNotContain("alias.st");
        notice.ShouldNotContain("pre-push.sample");
    }

    [Fact]
    public void A_session_that_left_git_as_it_was_gets_no_notice()
    {
        _dir.Write("project/.git/config", "[core]\n\tbare = false\n");
        var protection = ProjectProtection.For(Project, [], _dir.Path);

        protection.AfterSession().ShouldBeEmpty();
    }

    [Fact]
    public void Every_protected_path_and_the_hooks_path_keyword_can_be_named_in_config()
    {
        ProjectProtection.Names.ShouldContain(".git/config");
        ProjectProtection.Names.ShouldContain(".envrc");
        ProjectProtection.Names.ShouldContain("hooksPath");
    }

    public void Dispose() => _dir.Dispose();
}
