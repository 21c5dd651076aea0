using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary><c>airlock completion bash</c>, used the way a person does: sourced into an interactive bash in a real terminal, then Tab.</summary>
public sealed class CompletionTests(SharedNamespaces shared)
{
    [Fact]
    public async Task Tab_completes_verbs_and_the_namespaces_of_this_airlock_home()
    {
        await shared.WarmAsync(Engines.Podman);
        await using var ws = Workspace.Create(Engines.Podman);
        var ns = await ws.CreateNamespaceAsync();
        var script = ws.Write("airlock-completion.bash", (await ws.AirlockAsync("completion", "bash")).ShouldSucceed().Stdout);
        var bin = Path.GetDirectoryName(AirlockBinary.Path)!;
        await using var tmux = await TmuxSession.StartAsync(ws.Script(
            $"export PATH={Workspace.Quote(bin)}:\"$PATH\" PS1='READY> '\nexec bash --norc --noprofile -i"));
        await tmux.WaitForAsync(c => c.Contains("READY>", StringComparison.Ordinal), "the shell's prompt");
        await tmux.TypeLineAsync($"source {Workspace.Quote(script)}; echo SOURCED-$((40+2))");
        await tmux.WaitForAsync(c => TmuxSession.Lines(c).Contains("SOURCED-42"), "the completion script to be sourced");

        await tmux.SendKeysAsync(tmux.Target, "-l", "airlock rebuild namespace ");
        await tmux.SendKeysAsync(tmux.Target, "Tab");
        await tmux.WaitForAsync(c => c.Contains($"airlock rebuild namespace {ns}", StringComparison.Ordinal), "Tab to complete the namespace's name");
        await tmux.SendKeysAsync(tmux.Target, "C-u");

        await tmux.SendKeysAsync(tmux.Target, "-l", "airlock reb");
        await tmux.SendKeysAsync(tmux.Target, "Tab");
        await tmux.WaitForAsync(c => c.Contains("airlock rebuild ", StringComparison.Ordinal), "Tab to complete the verb");
        await tmux.SendKeysAsync(tmux.Target, "C-u");

        await tmux.SendKeysAsync(tmux.Target, "-l", "airlock --disp");
        await tmux.SendKeysAsync(tmux.Target, "Tab");
        await tmux.WaitForAsync(c => c.Contains("airlock --display ", StringComparison.Ordinal), "Tab to complete a launch flag");
    }
}
