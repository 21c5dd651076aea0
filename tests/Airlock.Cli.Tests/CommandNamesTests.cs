using System.CommandLine;
using Airlock.Sandboxes.Naming;

namespace Airlock.Cli.Tests;

/// <summary>`airlock NAME` means a command when NAME is one, so no namespace may take a command's name.</summary>
public sealed class CommandNamesTests
{
    [Fact]
    public void Every_top_level_command_is_a_reserved_namespace_name()
    {
        var context = new CliContext(() => null!, () => null!, TimeProvider.System, _ => null);
        var root = CliApp.BuildRoot(context, new Option<bool>("--verbose"));

        var names = root.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();

        names.ShouldNotBeEmpty();
        names.Where(n => !NameRules.ReservedNamespaceNames.Contains(n)).ShouldBeEmpty("add these to NameRules.ReservedNamespaceNames");
    }
}
