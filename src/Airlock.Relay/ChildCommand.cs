using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Airlock.Relay;

/// <summary>
/// Runs the sandbox's command as the relay's child with the relay's terminal and streams, passes on the signals meant
/// for it, and ends with its exit status, so that to the engine and the user the relay is invisible.
/// </summary>
internal static class ChildCommand
{
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;

    public static async Task<int> RunAsync(IReadOnlyList<string> command, TextWriter error)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // Handlers before the child exists: a signal that arrives while it starts is kept and passed on once it runs,
        // rather than taking .NET's default (shutting the relay down under a command that keeps running).
        // On a terminal Ctrl-C reaches the whole foreground group, the child included, so passing it on would deliver it
        // twice; it is still caught, so that the relay outlives a Ctrl-C the child chooses to ignore. Without a terminal
        // (an engine's kill --signal INT) only the relay gets it, from the init, and passes it on like the others.
        var interruptReachesChild = Native.IsATty(0) == 1;
        var gate = new object();
        var childPid = 0;
        var early = new List<int>();
        using var registrations = new CompositeDisposable(Forwarded.Select(signal =>
            PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                if (context.Signal == PosixSignal.SIGINT && interruptReachesChild)
                {
                    return;
                }

                lock (gate)
                {
                    if (childPid == 0)
                    {
                        early.Add(SignalNumber(context.Signal));
                    }
                    else
                    {
                        _ = Native.Kill(childPid, SignalNumber(context.Signal));
                    }
                }
            })));

        using var child = new Process { StartInfo = start };
        try
        {
            child.Start();
        }
        catch (Win32Exception e)
        {
            // The shell's conventions, which engines follow too: 127 not found, 126 found but not runnable.
            await error.WriteLineAsync($"airlock-relay: {command[0]}: {e.Message}").ConfigureAwait(false);
            return e.NativeErrorCode == 2 ? 127 : 126;
        }

        lock (gate)
        {
            childPid = child.Id;
            foreach (var signal in early)
            {
                _ = Native.Kill(childPid, signal);
            }
        }

        await child.WaitForExitAsync().ConfigureAwait(false);
        return child.ExitCode;
    }

    private static readonly PosixSignal[] Forwarded =
    [
        PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT, (PosixSignal)SigUsr1, (PosixSignal)SigUsr2,
    ];

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ => (int)signal,
    };

    private sealed class CompositeDisposable(IEnumerable<IDisposable> items) : IDisposable
    {
        private readonly IDisposable[] _items = items.ToArray();

        public void Dispose()
        {
            foreach (var item in _items)
            {
                item.Dispose();
            }
        }
    }
}
