using System.Runtime.InteropServices;

namespace Airlock.Cli;

/// <summary>
/// Turns the first SIGINT, SIGTERM or SIGHUP into a cancellation, so the running command can remove what it half-created
/// and restore the terminal before Airlock exits with 130, 143 or 129. A second signal takes the default action.
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _received;

    public ShutdownSignals()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>The exit code that reports the signal received (128 + its number), or null when none came.</summary>
    public int? ExitCode => (PosixSignal)Volatile.Read(ref _received) switch
    {
        PosixSignal.SIGINT => ExitCodes.Interrupted,
        PosixSignal.SIGTERM => ExitCodes.Terminated,
        PosixSignal.SIGHUP => 129,
        _ => null,
    };

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _received, (int)context.Signal, 0) == 0)
        {
            context.Cancel = true;
            _cts.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cts.Dispose();
    }
}
