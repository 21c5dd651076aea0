using System.Diagnostics;
using Airlock.Engine.Errors;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Discovery;

/// <summary>
/// Starts <c>podman system service</c> on a private socket, detached from the terminal so it outlives this process, and
/// with an idle timeout so it goes away by itself when unused.
/// </summary>
public class PodmanServiceStarter
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    public virtual Task StartAsync(string podmanPath, string socketPath, CancellationToken ct) => StartAsync(podmanPath, socketPath, runtime: null, ct);

    /// <summary>Starts the service with <paramref name="runtime"/> (a name podman's containers.conf registers) as its default OCI runtime.</summary>
    public virtual async Task StartAsync(string podmanPath, string socketPath, string? runtime, CancellationToken ct)
    {
        // The socket and the log (appended to by a shell, which would follow a planted link) live in a directory only
        // this user can enter, checked before anything is put in it.
        PrivateRuntimeDirectory.Ensure(Path.GetDirectoryName(socketPath)!);
        if (File.Exists(socketPath))
        {
            File.Delete(socketPath); // a stale socket left by a service that has since exited
        }

        // sh only redirects output to a log beside the socket; setsid detaches the service from our terminal's session.
        var setsid = DiscoveryEnvironment.FindOnPath("setsid");
        // The service outlives this process, and conmon starts every container from the service's working dir: ours
        // (a project, a temp dir) may be deleted meanwhile, after which each start fails ("Failed to get working directory").
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, WorkingDirectory = "/" };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$@\" >>\"$AIRLOCK_PODMAN_LOG\" 2>&1 </dev/null");
        psi.ArgumentList.Add("sh");
        if (setsid is not null)
        {
            psi.ArgumentList.Add(setsid);
        }

        psi.ArgumentList.Add(podmanPath);
        if (runtime is not null)
        {
            psi.ArgumentList.Add("--runtime");
            psi.ArgumentList.Add(runtime);
        }

        foreach (var arg in new[] { "system", "service", $"--time={(int)IdleTimeout.TotalSeconds}", $"unix://{socketPath}" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["AIRLOCK_PODMAN_LOG"] = socketPath + ".log";
        using var process = Process.Start(psi) ?? throw new EngineUnreachableException($"could not start {podmanPath}", "check that podman runs: podman info");
        process.StandardInput.Close();

        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (File.Exists(socketPath) && await EnginePing.PingAsync(EngineEndpoint.Unix(socketPath), TimeSpan.FromSeconds(1), ct) is null)
            {
                return;
            }

            if (process.HasExited && setsid is null)
            {
                break;
            }

            await Task.Delay(50, ct);
        }

        throw new EngineUnreachableException(
            $"started '{podmanPath} system service' on {socketPath}, but it did not answer within 10 s",
            "run 'podman info' to see what podman reports, then try again");
    }
}
