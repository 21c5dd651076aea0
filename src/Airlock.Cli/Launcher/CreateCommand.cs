using System.CommandLine;
using Airlock.Cli.Help;
using Airlock.Launcher;
using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Templates;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary><c>airlock create namespace NAME [TEMPLATE]</c> and <c>airlock create template NAME [FROM]</c>.</summary>
public static class CreateCommand
{
    public static Command Create(CliContext context)
    {
        var nsName = new Argument<string>("NAME") { Description = "The namespace's name (lowercase letters, digits, - and _)." };
        var nsTemplate = new Argument<string?>("TEMPLATE") { Description = "A template name or a git URL[#REF] (default: default).", Arity = ArgumentArity.ZeroOrOne };
        var templateFlag = new Option<string?>("--template") { Description = "Same as TEMPLATE (the positional wins)." };
        var nsTrust = new Option<bool>(TrustTemplateNetwork) { Description = "Give the namespace the network a git template's defaults.network asks for (left out otherwise)." };
        var ns = new Command("namespace", "Create a namespace: fork a template, build its image, seed its home.") { nsName, nsTemplate, templateFlag, nsTrust };
        ns.WithHelp(
            "Forks the template into ~/.airlock/containers/NAME, builds localhost/airlock:NAME.OWNER (OWNER: 12 hex digits standing for you and your ~/.airlock), copies the image's /home/airlock into ~/.airlock/namespaces/NAME and registers the namespace in ~/.airlock/config.yaml. If any step fails, nothing is left behind. " +
            $"A template from a git URL cannot widen the namespace's network: whatever its defaults.network asks beyond allowlist with nothing listed is left out and shown on stderr with how to grant it, unless {TrustTemplateNetwork} is given.",
            "airlock create namespace work",
            "airlock create namespace agents cli-agents",
            "airlock create namespace pinned https://example.com/me/airlock-template.git#v1.2.0",
            $"airlock create namespace team https://git.example.com/team/airlock-template.git {TrustTemplateNetwork}");
        ns.SetAction(async (parse, ct) =>
        {
            using var services = await LauncherServices.ConnectAsync(context, ct);
            var name = parse.GetRequiredValue(nsName);
            var template = parse.GetValue(nsTemplate) ?? parse.GetValue(templateFlag);
            await CreateNamespaceAsync(services, name, template, ct, trustTemplateNetwork: parse.GetValue(nsTrust));
            context.Out.MarkupLine($"[green]created[/] namespace [bold]{Markup.Escape(name)}[/]; enter it with: airlock {Markup.Escape(name)}");
            return ExitCodes.Ok;
        });

        var tName = new Argument<string>("NAME") { Description = "The new template's name." };
        var tFrom = new Argument<string?>("FROM") { Description = "The template to fork (default: default).", Arity = ArgumentArity.ZeroOrOne };
        var tTrust = new Option<bool>(TrustTemplateNetwork) { Description = "Keep a git template's defaults.network in the copy (left out otherwise)." };
        var template = new Command("template", "Fork a template into ~/.airlock/templates/NAME to customise it.") { tName, tFrom, tTrust };
        template.WithHelp(
            $"A template of your own is trusted, so a copy of a git template leaves out whatever its defaults.network asks beyond allowlist with nothing listed (template.yaml says what, and how to add it back), unless {TrustTemplateNetwork} is given.",
            "airlock create template my-fork",
            "airlock create template my-fork base",
            "airlock create template theirs https://example.com/them/airlock-template.git",
            "airlock edit template my-fork");
        template.SetAction(async (parse, ct) =>
        {
            var paths = AirlockPaths.FromEnvironment(context.GetVariable);
            var name = parse.GetRequiredValue(tName);
            if (NameRules.TemplateProblem(name) is { } problem)
            {
                throw new LauncherException(problem);
            }

            var catalog = new TemplateCatalog(paths);
            var dir = catalog.UserDir(name);
            if (Directory.Exists(dir))
            {
                throw new LauncherException($"template '{name}' already exists at {paths.Contract(dir)}; edit it with: airlock edit template {name}");
            }

            WithheldNetwork? withheld;
            try
            {
                withheld = await catalog.ForkIntoUserTemplateAsync(parse.GetValue(tFrom) ?? "default", dir, parse.GetValue(tTrust), ct);
            }
            catch
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }

                throw;
            }

            context.Out.MarkupLine($"[green]created[/] template [bold]{Markup.Escape(name)}[/] at {Markup.Escape(paths.Contract(dir))}");
            if (withheld is not null)
            {
                context.Error.MarkupLine("[yellow]warning:[/] a template from git cannot widen a namespace's network: the copy leaves out its defaults.network");
                context.Error.MarkupLine(Markup.Escape($"  {withheld.Template} asks for {withheld.Asked}"));
                context.Error.MarkupLine(Markup.Escape(
                    $"  if you trust it, the top of {paths.Contract(Path.Combine(dir, "template.yaml"))} has the lines that add it back (or fork again with {TrustTemplateNetwork})"));
            }

            return ExitCodes.Ok;
        });

        return new Command("create", "Create a namespace or a template.") { ns, template };
    }

    /// <summary>The flag that lets a git template's <c>defaults.network</c> through (docs/design/template-trust.md).</summary>
    public const string TrustTemplateNetwork = WithheldNetwork.TrustFlag;

    /// <summary>Creates the namespace, then says on stderr what network its template asked for and did not get.</summary>
    /// <param name="ifMissing">A launch that bootstraps: a namespace another airlock process created meanwhile is taken as it is.</param>
    public static async Task CreateNamespaceAsync(
        LauncherServices services, string name, string? template, CancellationToken ct, bool ifMissing = false, bool trustTemplateNetwork = false)
    {
        var plan = await BuildProgressView.RunAsync(
            services.Context, $"namespace {name}", progress => services.Namespaces.CreateAsync(name, template, progress, ct, ifMissing, trustTemplateNetwork));
        if (plan.WithheldNetwork is { } withheld)
        {
            TemplateNetworkWarning.Write(services, name, withheld);
        }
    }
}
