using Airlock.Launcher.Launch;

namespace Airlock.Launcher.Tests.Launch;

public sealed class HostGitConfigFilterTests
{
    private const string HostConfig = """
        [user]
        	name = Dev
        	email = dev@example.com
        	signingkey = ABCDEF
        [alias]
        	st = status
        [credential]
        	helper = store
        [credential "https://example.com"]
        	username = dev
        [include]
        	path = ~/.gitconfig.secrets
        [includeIf "gitdir:~/work/"]
        	path = ~/.gitconfig.work
        [http]
        	extraHeader = Authorization: Bearer abc
        	sslVerify = true
        [http "https://example.com"]
        	extraheader = Authorization: Basic xyz
        [url "https://dev:tok3n@example.com/"]
        	insteadOf = https://example.com/
        [url "git@github.com:"]
        	insteadOf = https://github.com/
        [github]
        	user = dev
        	token = ghp_123
        [sendemail]
        	smtpPass = hunter2
        [lfs]
        	url = https://dev:pw@lfs.example.com/
        [core]
        	editor = vim
        	sshCommand = ssh -i ~/.ssh/key
        [mytool]
        	apiToken = t0ken
        	password = p
        """;

    [Fact]
    public void Identity_and_behaviour_stay_and_every_credential_goes()
    {
        var kept = HostGitConfigFilter.Filter(GitConfigFile.Parse(HostConfig)).Entries.Select(e => $"{e.Section}.{(e.Subsection.Length > 0 ? e.Subsection + "." : "")}{e.Key}");

        kept.ShouldBe(
        [
            "user.name", "user.email", "user.signingkey", "alias.st", "http.sslverify", "url.git@github.com:.insteadof", "core.editor", "core.sshcommand",
        ]);
    }

    [Fact]
    public void The_copy_contains_none_of_the_secrets()
    {
        var copy = HostGitConfigFilter.Filter(HostConfig);

        foreach (var secret in new[] { "store", "Bearer", "xyz", "tok3n", "ghp_123", "hunter2", "dev:pw", "t0ken", "secrets", "gitconfig.work" })
        {
            copy.ShouldNotContain(secret);
        }

        copy.ShouldContain("name = \"Dev\"");
    }
}
