using System.Collections.Concurrent;
using Airlock.Engine.Errors;
using Airlock.Launcher.Identity;
using Airlock.Launcher.Launch;
using Airlock.Launcher.Namespaces;
using Airlock.Sandboxes.Mcp;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Runtime;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;

namespace Airlock.Launcher.Mcp;

/// <summary>
/// The sandbox tools over the launcher, for <c>airlock mcp</c>: a sandbox is a launcher session planned as
/// <c>airlock work</c> would plan it (<see cref="LaunchPlanner.PlanDetached"/>), created by <see cref="LaunchSession"/>
/// (project lock, network guard, egress) and kept alive between calls. This process holds each one's session, so the
/// tools act only on sandboxes it made, and disposing it removes them all.
/// </summary>
public sealed class LauncherSandboxTools(
    ISandboxRuntime runtime, AirlockPaths paths, HostUser user, NamespaceManager namespaces, Func<string, string?> hostEnv,
    McpLauncherOptions options, TimeProvider time, Action<string> notice) : ISandboxTools, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Made> _made = new(StringComparer.Ordinal);
    private readonly SandboxExecutor _executor = new(runtime, time);

    private sealed record Made(LaunchSession Session, McpSandbox View);

    public async Task<McpSandbox> CreateAsync(SandboxCreateRequest request, CancellationToken ct)
    {
        var name = request.Namespace ?? options.DefaultNamespace;
        var config = namespaces.LoadConfig();
        if (!config.Namespaces.ContainsKey(name))
        {
            var known = config.Namespaces.Count == 0 ? "there are none yet" : "there are: " + string.Join(", ", config.Namespaces.Keys.Order(StringComparer.Ordinal));
            throw new SandboxToolException(
                $"namespace: no namespace named '{name}' in {paths.Contract(paths.ConfigFile)} ({known}); name one of them, or ask the person to create it with `airlock create namespace {name} base`");
        }

        var entry = namespaces.Get(name);
        var launch = new LaunchRequest
        {
            Namespace = name,
            ProjectDir = options.ProjectDir,
            Network = request.Network,
            AllowConcurrent = request.AllowConcurrent,
            BroadProjectConfirmed = options.BroadProjectConfirmed,
        };
        var plan = PlanOrExplain(name, entry, launch);
        var warnings = plan.Warnings.ToList();
        LaunchSession session;
        try
        {
            session = await LaunchSession.CreateAsync(runtime, paths, plan, request.AllowConcurrent, namespaces.BaseImage, notice, warnings, ct);
        }
        catch (LauncherException ex)
        {
            throw new SandboxToolException(ex.Message.Contains("--allow-concurrent", StringComparison.Ordinal) ? ex.Message + " (for create_sandbox: allowConcurrent true)" : ex.Message);
        }
        catch (EngineNotFoundException)
        {
            if (await runtime.TryInspectImageAsync(plan.Spec.Image, ct) is not null)
            {
                throw;
            }

            throw new SandboxToolException($"namespace: the image {plan.Spec.Image} of namespace '{name}' is missing; ask the person to rebuild it with `airlock rebuild namespace {name}`");
        }

        try
        {
            await runtime.StartAsync(session.ContainerId, ct);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        var view = new McpSandbox(
            plan.SessionName, name, plan.Spec.Image, plan.Spec.WorkingDirectory!, NetworkModes.FromSpec(plan.Spec.Network.Mode), IsolationLevels.Name(plan.Spec.Isolation), Running: true)
        {
            Notices = warnings,
        };
        _made[plan.SessionName] = new Made(session, view);
        return view;
    }

    public async Task<IReadOnlyList<McpSandbox>> ListAsync(CancellationToken ct)
    {
        var listed = new List<McpSandbox>();
        foreach (var made in _made.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value))
        {
            var info = await runtime.TryInspectAsync(made.Session.ContainerId, ct);
            if (info is not null)
            {
                listed.Add(made.View with { Running = info.Running, Notices = [] });
            }
        }

        return listed;
    }

    public async Task<CommandOutcome> RunAsync(string sandbox, CommandRequest request, CancellationToken ct) =>
        await _executor.RunAsync(await RunningAsync(sandbox, ct), request, ct);

    public async Task<byte[]> ReadFileAsync(string sandbox, string path, CancellationToken ct) =>
        await _executor.ReadFileAsync(await RunningAsync(sandbox, ct), path, ct);

    public async Task WriteFileAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        await _executor.WriteFileAsync(await RunningAsync(sandbox, ct), path, content, ct);

    public async Task<SandboxFileListing> ListFilesAsync(string sandbox, string path, CancellationToken ct) =>
        await _executor.ListFilesAsync(await RunningAsync(sandbox, ct), path, ct);

    public async Task<IReadOnlyList<string>> DeleteAsync(string sandbox, CancellationToken ct)
    {
        if (!_made.TryRemove(sandbox, out var made))
        {
            throw new SandboxToolException(McpSandboxOwnership.Refusal(sandbox, await runtime.TryInspectAsync(sandbox, ct)));
        }

        return await EndAsync(made);
    }

    /// <summary>Removes every sandbox this process made: they hold this process's project locks and egress points.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var name in _made.Keys.ToList())
        {
            if (_made.TryRemove(name, out var made))
            {
                foreach (var warning in await EndAsync(made))
                {
                    notice("warning: " + warning);
                }
            }
        }
    }

    /// <summary>
    /// Removes the sandbox (the session takes its container, guard and egress point, and releases the project), then
    /// does the project's after-session check as <c>airlock</c> does: what it left that host tools would run.
    /// </summary>
    private static async Task<IReadOnlyList<string>> EndAsync(Made made)
    {
        await made.Session.DisposeAsync();
        return made.Session.Plan.Protection?.AfterSession() ?? [];
    }

    private LaunchPlan PlanOrExplain(string name, Config.NamespaceConfig entry, LaunchRequest launch)
    {
        var planner = new LaunchPlanner(paths, user, runtime.Identity, hostEnv);
        try
        {
            return planner.PlanDetached(name, entry, launch, SandboxOwner.Clients.Mcp);
        }
        catch (LauncherException ex)
        {
            // The planner speaks to a person at a terminal; its one flag that fits here belongs to airlock mcp itself.
            throw new SandboxToolException(ex.Message.Replace("pass --yes", "start airlock mcp with --yes (in the MCP client's config)", StringComparison.Ordinal));
        }
        catch (ValidationException ex)
        {
            throw new SandboxToolException($"{ex.Message}; the person can fix namespace '{name}' with `airlock config`");
        }
    }

    /// <summary>The sandbox named, when this process made it and it still runs; every other case says why not.</summary>
    private async Task<ExecTarget> RunningAsync(string sandbox, CancellationToken ct)
    {
        if (!_made.TryGetValue(sandbox, out var made))
        {
            throw new SandboxToolException(McpSandboxOwnership.Refusal(sandbox, await runtime.TryInspectAsync(sandbox, ct)));
        }

        var info = await runtime.TryInspectAsync(made.Session.ContainerId, ct);
        if (info is null)
        {
            throw new SandboxToolException($"sandbox: '{sandbox}' is gone (removed outside airlock mcp); delete_sandbox it to release the project, then create another with create_sandbox");
        }

        if (!McpSandboxOwnership.MadeByMcp(info.Owner))
        {
            // Only a container swapped in under the same id could get here; never act on it.
            throw new SandboxToolException(McpSandboxOwnership.Refusal(sandbox, info));
        }

        if (!info.Running)
        {
            throw new SandboxToolException($"sandbox: '{sandbox}' is not running ({info.Status}); delete it with delete_sandbox and create another with create_sandbox");
        }

        return new ExecTarget(info.Id, info.User, info.WorkingDirectory ?? made.View.WorkingDirectory);
    }
}
