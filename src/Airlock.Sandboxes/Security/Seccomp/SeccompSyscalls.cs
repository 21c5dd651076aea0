namespace Airlock.Sandboxes.Security.Seccomp;

/// <summary>
/// The calls a sandbox may make without conditions, grouped by what they touch. This is the set container engines allow
/// an unprivileged container by default, minus what Airlock allows only under conditions (<see cref="SandboxSeccomp"/>)
/// or not at all. Names unknown to an older libseccomp are skipped by the runtime and stay denied.
/// </summary>
internal static class SeccompSyscalls
{
    public static readonly string[] Processes =
    [
        "exit", "exit_group", "fork", "vfork", "execve", "execveat", "wait4", "waitid", "waitpid",
        "getpid", "getppid", "gettid", "getpgid", "getpgrp", "setpgid", "getsid", "setsid",
        "set_tid_address", "set_robust_list", "get_robust_list", "rseq", "prctl", "restart_syscall",
        "getpriority", "setpriority", "ioprio_get", "ioprio_set", "getcpu",
        "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getattr", "sched_setattr", "sched_getparam",
        "sched_setparam", "sched_getscheduler", "sched_setscheduler", "sched_get_priority_max", "sched_get_priority_min",
        "sched_rr_get_interval", "sched_rr_get_interval_time64",
        "getrlimit", "setrlimit", "prlimit64", "ugetrlimit", "getrusage", "times",
        "capget", "capset", "seccomp", "membarrier", "get_thread_area", "set_thread_area",
        "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
        "pidfd_open", "pidfd_send_signal", "process_mrelease",
        "futex", "futex_time64", "futex_waitv",
    ];

    /// <summary>Without CAP_SETUID/CAP_SETGID these only move between the ids a process already holds.</summary>
    public static readonly string[] Credentials =
    [
        "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32",
        "getresuid", "getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32",
        "setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32", "setregid", "setregid32",
        "setresuid", "setresuid32", "setresgid", "setresgid32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
        "setgroups", "setgroups32",
    ];

    /// <summary>A sandbox's init ignores signals it has no handler for, whoever sends them from inside.</summary>
    public static readonly string[] Signals =
    [
        "kill", "tkill", "tgkill", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigsuspend",
        "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "sigaltstack",
        "signalfd", "signalfd4", "sigprocmask", "sigreturn", "pause", "alarm", "getitimer", "setitimer",
    ];

    public static readonly string[] Memory =
    [
        "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise", "mincore", "msync", "remap_file_pages",
        "mlock", "mlock2", "mlockall", "munlock", "munlockall", "memfd_create", "memfd_secret",
        "pkey_alloc", "pkey_free", "pkey_mprotect",
    ];

    /// <summary>Reading the clocks; setting them needs CAP_SYS_TIME (adjtimex without it only reads).</summary>
    public static readonly string[] Time =
    [
        "clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64",
        "nanosleep", "gettimeofday", "time", "adjtimex", "clock_adjtime", "clock_adjtime64",
        "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
        "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64",
    ];

    /// <summary>
    /// File calls that cannot set a mode bit. The ones that can (chmod, open with O_CREAT, mknod, ...) are in
    /// <see cref="SandboxSeccomp"/> with their conditions; chown clears setuid and setgid bits by itself.
    /// </summary>
    public static readonly string[] Files =
    [
        "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
        "close", "close_range", "dup", "dup2", "dup3", "lseek", "_llseek", "fcntl", "fcntl64", "ioctl", "flock",
        "fsync", "fdatasync", "sync", "syncfs", "sync_file_range", "readahead", "fadvise64", "fadvise64_64", "fallocate",
        "ftruncate", "ftruncate64", "truncate", "truncate64", "sendfile", "sendfile64", "splice", "tee", "vmsplice", "copy_file_range",
        "stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "fstatat64", "newfstatat", "statx",
        "statfs", "statfs64", "fstatfs", "fstatfs64", "access", "faccessat", "faccessat2",
        "getcwd", "chdir", "fchdir", "getdents", "getdents64", "readlink", "readlinkat",
        "mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "unlink", "unlinkat",
        "umask", "chown", "chown32", "fchown", "fchown32", "lchown", "lchown32", "fchownat",
        "utime", "utimes", "utimensat", "utimensat_time64", "futimesat",
        "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
        "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
        "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "fanotify_mark", "name_to_handle_at",
        "io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
    ];

    public static readonly string[] Polling =
    [
        "poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6", "pselect6_time64",
        "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_wait", "epoll_wait_old", "epoll_pwait", "epoll_pwait2",
        "eventfd", "eventfd2", "pipe", "pipe2",
    ];

    /// <summary>
    /// Sockets, but not <c>socket</c> itself (its address family is checked) nor the 32-bit <c>socketcall</c>
    /// multiplexer, whose arguments sit in memory where no check can see them.
    /// </summary>
    public static readonly string[] Sockets =
    [
        "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname", "getpeername", "getsockopt", "setsockopt",
        "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "recvmmsg_time64", "shutdown", "send", "recv",
    ];

    public static readonly string[] InterProcess =
    [
        "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop", "semtimedop_time64", "semctl",
        "msgget", "msgsnd", "msgrcv", "msgctl", "ipc", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedsend_time64",
        "mq_timedreceive", "mq_timedreceive_time64", "mq_notify", "mq_getsetattr",
    ];

    public static readonly string[] System = ["uname", "sysinfo", "getrandom"];

    /// <summary>
    /// Creating namespaces and mounting, allowed only to a sandbox that asked for nesting (a container engine, a
    /// browser's or an agent's own sandbox inside). Mounts a sandbox inherits stay locked even then: a new user
    /// namespace can neither clear their read-only flags nor bind a tree without its read-only parts.
    /// </summary>
    public static readonly string[] Nesting =
    [
        "unshare", "setns", "clone3", "mount", "umount", "umount2", "pivot_root", "chroot", "sethostname", "setdomainname",
        "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
    ];

    public static IEnumerable<string> Unconditional =>
        [.. Processes, .. Credentials, .. Signals, .. Memory, .. Time, .. Files, .. Polling, .. Sockets, .. InterProcess, .. System];
}
