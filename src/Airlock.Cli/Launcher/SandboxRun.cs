using Airlock.Cli.Terminal;
using Airlock.Engine.Errors;
using Airlock.Launcher;
using Airlock.Launcher.Config;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Launch;
using Spectre.Console;

namespace Airlock.Cli.Launcher;

/// <summary>
/// The one path from a launch request to a running sandbox, shared by the launch form (<c>airlock NS CMD</c>) and the
/// agent presets (<c>airlock run AGENT</c>): plan, then start with the project locked, then pass the exit code back.
/// </summary>
public static class SandboxRun
{
    /// <summary>
    /// Plans the launch. A project that is, or holds, the person's home or Airlock's state directory is mounted only
    /// with their yes: <c>--yes</c>, or an answer at a prompt when there is a terminal to ask on.
    /// </summary>
    public static LaunchPlan Plan(LauncherServices services, string name, NamespaceConfig entry, LaunchRequest request)
    {
        var planner = new LaunchPlanner(services.Paths, services.User, services.Runtime.Identity, services.Context.GetVariable);
        var console = services.Context.Error;
        if (!request.BroadProjectConfirmed && planner.BroadProjectReason(request.ProjectDir) is { } reason
            && console.Profile.Capabilities.Interactive && !System.Console.IsInputRedirected)
        {
            var project = Markup.Escape(request.ProjectDir);
            if (!console.Confirm($"Mount [bold]{project}[/] into the sandbox, read-write? {Markup.Escape(reason)}.", defaultValue: false))
            {
                throw new LauncherException($"nothing started: {request.ProjectDir} was not mounted. cd into a project directory and run airlock there");
            }

            request = request with { BroadProjectConfirmed = true };
        }

        return planner.Plan(name, entry, request);
    }

    public static async Task<int> RunAsync(LauncherServices services, string name, NamespaceConfig entry, LaunchRequest request, LaunchPlan plan, CancellationToken ct)
    {
        var context = services.Context;
        if (request.Gpg)
        {
            GpgImporter.Import(Path.Combine(services.User.Home, ".gnupg"), services.Paths.NamespaceHome(name));
        }

        var warnings = plan.Warnings.ToList();
        // The drift check is an image inspect: it runs alongside the container's create instead of before it.
        var drift = services.Namespaces.HasSkeletonDriftAsync(name, entry, ct);
        LaunchSession launchSession;
        try
        {
            launchSession = await LaunchSession.CreateAsync(
                services.Runtime, services.Paths, plan, request.AllowConcurrent, services.Namespaces.BaseImage,
                message => context.Error.MarkupLine("[grey]" + Markup.Escape(message) + "[/]"), warnings, ct);
        }
        catch (EngineNotFoundException)
        {
            await drift.ContinueWith(_ => { }, TaskScheduler.Default);
            if (await services.Runtime.TryInspectImageAsync(plan.Spec.Image, ct) is not null)
            {
                throw;
            }

            throw new LauncherException(request.Image is null
                ? $"the image {plan.Spec.Image} of namespace '{name}' is missing; rebuild it with: airlock rebuild namespace {name}"
                : $"--image {request.Image}: no such image in the engine; build, pull or import it first");
        }
        catch
        {
            await drift.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }

        try
        {
            return await RunStartedAsync(services, name, plan, launchSession, drift, warnings, request.Tty, ct);
        }
        finally
        {
            // Once the sandbox is gone: what it left in the project that would make host tools run its commands.
            foreach (var notice in plan.Protection?.AfterSession() ?? [])
            {
                context.Error.MarkupLine("[red]warning:[/] " + Markup.Escape(notice));
            }
        }
    }

    private static async Task<int> RunStartedAsync(
        LauncherServices services, string name, LaunchPlan plan, LaunchSession launchSession, Task<bool> drift, List<string> warnings, bool tty, CancellationToken ct)
    {
        var context = services.Context;
        await using var launch = launchSession;
        if (await drift)
        {
            warnings.Add($"the image's skeleton dotfiles (.bashrc, ...) changed since this namespace's home was seeded; `airlock reset namespace {name}` re-seeds them (and drops your other changes in the home)");
        }

        foreach (var warning in warnings)
        {
            context.Error.MarkupLine("[yellow]notice:[/] " + Markup.Escape(warning));
        }

        // A forward that asked for any port (0) says which one it got; the engine is not there to be asked.
        foreach (var forward in launch.Forwards.Where(f => plan.Spec.Ports.Any(p => p.ContainerPort == f.Inside && p.HostPort == 0)))
        {
            context.Error.MarkupLine($"[grey]forwarding {Markup.Escape(forward.Host.ToString())} to port {forward.Inside} inside[/]");
        }

        var exitCode = await new TerminalSession(services.Runtime).RunContainerAsync(launch.ContainerId, interactive: true, tty, ct);
        // The exit code is read: the container's removal can go on in the engine without the person waiting for it.
        launch.ProcessEnded();
        if (launch.EgressRefused is { Count: > 0 } refused)
        {
            EgressRefusalNotice.Write(context.Error, name, services.Paths.Contract(services.Paths.ConfigFile), refused);
        }

        return exitCode;
    }
}
