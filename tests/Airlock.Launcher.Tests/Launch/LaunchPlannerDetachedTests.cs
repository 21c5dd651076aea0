using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Launcher.Tests.Launch;

/// <summary>The plan of a sandbox that lives between an MCP client's calls: the launch's own plan, kept alive, marked as the client's.</summary>
public sealed class LaunchPlannerDetachedTests : IDisposable
{
    private readonly LaunchPlannerFixture _host = new();

    [Fact]
    public void Detached_plan_is_the_launch_plan_with_the_keep_alive_command_and_no_terminal()
    {
        var launch = _host.Plan(request: _host.Request with { Tty = true });
        var detached = _host.Planner().PlanDetached("work", LaunchPlannerFixture.Namespace, _host.Request with { Tty = true, Command = ["bash"] }, SandboxOwner.Clients.Mcp);

        detached.Spec.Command.ShouldBe(LaunchPlanner.KeepAliveCommand);
        detached.Spec.Tty.ShouldBeFalse();
        detached.Spec.Interactive.ShouldBeFalse();
        // Everything that makes it a sandbox of this project is the launch's: mounts, user, hardening, network, limits.
        detached.Spec.Mounts.ShouldBe(launch.Spec.Mounts);
        detached.Spec.User.ShouldBe(launch.Spec.User);
        detached.Spec.Security.ShouldBe(launch.Spec.Security);
        detached.Spec.Network.Mode.ShouldBe(launch.Spec.Network.Mode);
        detached.Spec.Limits.ShouldBe(launch.Spec.Limits);
        detached.Spec.WorkingDirectory.ShouldBe(_host.Project);
    }

    [Fact]
    public void Detached_plan_is_owned_by_the_launcher_with_the_client_written_on_it()
    {
        var plan = _host.Planner().PlanDetached("work", LaunchPlannerFixture.Namespace, _host.Request, SandboxOwner.Clients.Mcp);

        plan.Owner.Role.ShouldBe(SandboxOwner.Roles.Launcher);
        plan.Owner.Client.ShouldBe(SandboxOwner.Clients.Mcp);
        plan.Owner.Project.ShouldBe(_host.Project);
        plan.LabelledSpec.Labels["io.airlock.client"].ShouldBe("mcp");
    }

    [Fact]
    public void Detached_plan_refuses_what_a_launch_refuses()
    {
        var ex = Should.Throw<LauncherException>(() =>
            _host.Planner().PlanDetached("work", LaunchPlannerFixture.Namespace, _host.Request with { Network = "wide-open" }, SandboxOwner.Clients.Mcp));

        ex.Message.ShouldContain("--network: 'wide-open' is not a network mode");
    }

    public void Dispose() => _host.Dispose();
}
