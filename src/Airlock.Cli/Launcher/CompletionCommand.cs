using System.CommandLine;
using Airlock.Cli.Help;

namespace Airlock.Cli.Launcher;

/// <summary><c>airlock completion bash|zsh</c>: a completion script for verbs, namespaces, sessions and templates.</summary>
public static class CompletionCommand
{
    private const string Bash = """
        # airlock bash completion. Install: airlock completion bash > ~/.local/share/bash-completion/completions/airlock
        _airlock() {
          local cur prev words cword
          cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"
          local verbs="@VERBS@"
          local opts="--create --image --env --forward --volume --host-port --network --allow --secret --display --isolation --command --join --dry-run --allow-concurrent --gpg --yes --help --version"
          case "$prev" in
            --join) COMPREPLY=($(compgen -W "$(airlock list sessions -q 2>/dev/null)" -- "$cur")); return ;;
            --display) COMPREPLY=($(compgen -W "x11 wayland auto none" -- "$cur")); return ;;
            --isolation) COMPREPLY=($(compgen -W "container gvisor" -- "$cur")); return ;;
            --create|--template) COMPREPLY=($(compgen -W "$(airlock list templates -q 2>/dev/null)" -- "$cur")); return ;;
            --volume|-v) COMPREPLY=($(compgen -f -- "$cur")); return ;;
          esac
          if [ "$COMP_CWORD" -eq 1 ]; then
            if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); return; fi
            COMPREPLY=($(compgen -W "$verbs $(airlock list namespaces -q 2>/dev/null)" -- "$cur")); return
          fi
          case "${COMP_WORDS[1]}" in
            create) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "namespace template" -- "$cur"))
                    [ "$COMP_CWORD" -eq 4 ] && COMPREPLY=($(compgen -W "$(airlock list templates -q 2>/dev/null)" -- "$cur")) ;;
            list) COMPREPLY=($(compgen -W "namespaces sessions templates --json --quiet" -- "$cur")) ;;
            reset|rebuild) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "namespace" -- "$cur"))
                    [ "$COMP_CWORD" -eq 3 ] && COMPREPLY=($(compgen -W "$(airlock list namespaces -q 2>/dev/null)" -- "$cur")) ;;
            delete) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "namespace template" -- "$cur"))
                    if [ "$COMP_CWORD" -eq 3 ]; then
                      if [ "${COMP_WORDS[2]}" = template ]; then COMPREPLY=($(compgen -W "$(airlock list templates -q 2>/dev/null)" -- "$cur"))
                      else COMPREPLY=($(compgen -W "$(airlock list namespaces -q 2>/dev/null)" -- "$cur")); fi
                    fi ;;
            edit) [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "template" -- "$cur"))
                  [ "$COMP_CWORD" -eq 3 ] && COMPREPLY=($(compgen -W "$(airlock list templates -q 2>/dev/null)" -- "$cur")) ;;
            completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
            doctor) COMPREPLY=($(compgen -W "--json" -- "$cur")) ;;
            *) [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur")) ;;
          esac
        }
        complete -o default -F _airlock airlock
        """;

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("SHELL") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script.") { shell };
        command.WithHelp(
            "zsh uses the bash script through bashcompinit.",
            "airlock completion bash > ~/.local/share/bash-completion/completions/airlock",
            "echo 'autoload -U +X bashcompinit && bashcompinit && source <(airlock completion zsh)' >> ~/.zshrc");
        command.SetAction(parse =>
        {
            // The verbs come from the command tree itself, so a new command is completed without touching the script.
            var verbs = parse.RootCommandResult.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            context.Out.Profile.Out.Writer.WriteLine(Bash.Replace("\r", "", StringComparison.Ordinal).Replace("@VERBS@", string.Join(' ', verbs), StringComparison.Ordinal));
            return ExitCodes.Ok;
        });
        return command;
    }
}
