using System.Runtime.InteropServices;

namespace Airlock.Relay;

internal static partial class Native
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "isatty")]
    internal static partial int IsATty(int fd);
}
