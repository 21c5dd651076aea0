using System.Runtime.InteropServices;
using Airlock.Bench;

// bench/run NAME [args]: runs one named benchmark; without a name, lists them.
if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    PrintList(Console.Out);
    return 0;
}

var benchmark = BenchmarkRegistry.Find(args[0]);
if (benchmark is null)
{
    Console.Error.WriteLine($"bench: unknown benchmark '{args[0]}'");
    PrintList(Console.Error);
    return 2;
}

// Ctrl+C and SIGTERM cancel the run instead of killing the process, so benchmarks get to remove what they created.
using var cts = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
try
{
    return await benchmark.RunAsync(new BenchContext(args[1..], Console.Out, Console.Error, cts.Token));
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine($"{benchmark.Name}: interrupted");
    return 130;
}

void Cancel(PosixSignalContext signal)
{
    signal.Cancel = true;
    cts.Cancel();
}

static void PrintList(TextWriter to)
{
    to.WriteLine("usage: bench/run NAME [args]");
    to.WriteLine("benchmarks:");
    foreach (var b in BenchmarkRegistry.All)
    {
        to.WriteLine($"  {b.Name,-14} {b.Summary}");
    }
}
