using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Security.Seccomp;

/// <summary>
/// Airlock's own seccomp profile, given to both engines (podman's default lets a sandbox create a user namespace, gain
/// every capability in it and mount). It starts from the calls an unprivileged container needs
/// (<see cref="SeccompSyscalls"/>) and adds what the wall needs beyond an engine's default:
/// <list type="bullet">
/// <item>no user namespaces, no mounts, no new mount API, unless <see cref="SecurityPolicy.Nesting"/> asks for them;</item>
/// <item>no setuid or setgid bit on any file the sandbox writes (chmod family, open/creat with O_CREAT, mknod), since
/// the host sees those files, and no device nodes;</item>
/// <item>no ptrace or cross-process memory access to the sandbox's init (PID 1), whose stopping would hang the session;</item>
/// <item>no io_uring and no openat2/fchmodat2, whose modes and flags sit where a filter cannot see them.</item>
/// </list>
/// See docs/design/seccomp.md.
/// </summary>
public static class SandboxSeccomp
{
    private const ulong SetUidAndSetGid = 0x0C00; // S_ISUID | S_ISGID
    private const ulong FileTypeMask = 0xF000; // S_IFMT
    private const ulong CreatesFile = 0x40 | 0x400000; // O_CREAT | __O_TMPFILE: the only opens that use their mode
    private const ulong NamespaceCloneFlags = 0x7E020000; // CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET
    private const ulong InitPid = 1;
    private const ulong AddressFamilyVsock = 40; // AF_VSOCK: the hypervisor, when the host is a VM

    private static readonly Lazy<Variant> Walled = new(() => new Variant(Build(nesting: false, gvisor: false)));
    private static readonly Lazy<Variant> Nested = new(() => new Variant(Build(nesting: true, gvisor: false)));
    private static readonly Lazy<Variant> WalledGvisor = new(() => new Variant(Build(nesting: false, gvisor: true)));
    private static readonly Lazy<Variant> NestedGvisor = new(() => new Variant(Build(nesting: true, gvisor: true)));

    /// <summary>The profile for a sandbox with <paramref name="policy"/> at <paramref name="level"/>; built once per variant.</summary>
    public static SeccompProfile For(SecurityPolicy policy, IsolationLevel level = IsolationLevel.Container) => Pick(policy, level).Profile;

    /// <summary><see cref="For"/>'s JSON, as the engines get it; written once per variant.</summary>
    public static string JsonFor(SecurityPolicy policy, IsolationLevel level = IsolationLevel.Container) => Pick(policy, level).Json;

    private static Variant Pick(SecurityPolicy policy, IsolationLevel level) => (policy.Nesting, level == IsolationLevel.Gvisor) switch
    {
        (false, false) => Walled.Value,
        (true, false) => Nested.Value,
        (false, true) => WalledGvisor.Value,
        (true, true) => NestedGvisor.Value,
    };

    private sealed class Variant(SeccompProfile profile)
    {
        public SeccompProfile Profile { get; } = profile;

        public string Json { get; } = profile.ToJson();
    }

    private static SeccompProfile Build(bool nesting, bool gvisor)
    {
        var rules = new List<SeccompRule>
        {
            Allow(SeccompSyscalls.Unconditional.Order(StringComparer.Ordinal).Distinct()),
            Allow(["arch_prctl"], arches: ["amd64", "x32"]),
            Allow(["modify_ldt"], arches: ["amd64", "x32", "x86"]),
            Allow(["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"], arches: ["arm", "arm64"]),
        };

        // personality(2) only for the execution domains programs really switch between (Linux, 32-bit, uname26) and the query.
        foreach (var persona in new ulong[] { 0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF })
        {
            rules.Add(Allow(["personality"], new SeccompArgument(0, persona, 0, "SCMP_CMP_EQ")));
        }

        rules.AddRange(Low32BitsAreNot(["socket"], 0, AddressFamilyVsock, "socket: any address family but AF_VSOCK"));

        // Setuid and setgid bits: refused on every call that sets a mode. The host sees every file of the project, and
        // a nosuid mount inside does not stop the host from running a setuid file the sandbox left there.
        rules.Add(Allow(["chmod", "fchmod", "creat"], SeccompArgument.Masked(1, SetUidAndSetGid, 0)));
        rules.Add(Allow(["fchmodat"], SeccompArgument.Masked(2, SetUidAndSetGid, 0)));
        rules.Add(Allow(["open"], SeccompArgument.Masked(1, CreatesFile, 0)));
        rules.Add(Allow(["open"], SeccompArgument.Masked(2, SetUidAndSetGid, 0)));
        rules.Add(Allow(["openat"], SeccompArgument.Masked(2, CreatesFile, 0)));
        rules.Add(Allow(["openat"], SeccompArgument.Masked(3, SetUidAndSetGid, 0)));

        // mknod: regular files, FIFOs and sockets without those bits (type 0 is a regular file); never a device node.
        foreach (var type in new ulong[] { 0x0, 0x8000, 0x1000, 0xC000 })
        {
            rules.Add(Allow(["mknod"], SeccompArgument.Masked(1, FileTypeMask | SetUidAndSetGid, type)));
            rules.Add(Allow(["mknodat"], SeccompArgument.Masked(2, FileTypeMask | SetUidAndSetGid, type)));
        }

        // Their flags and modes are in memory a filter cannot read: "not implemented" makes libc fall back to the calls above.
        rules.Add(new SeccompRule
        {
            Names = ["openat2", "fchmodat2", "io_uring_setup", "io_uring_enter", "io_uring_register"],
            Action = SeccompRule.Errno,
            ErrnoRet = SeccompErrno.NotImplemented,
        });

        // Debuggers work on everything but the init: a stopped or rewritten PID 1 never reaps the command, and the session hangs.
        rules.AddRange(Low32BitsAreNot(["ptrace"], 1, InitPid, "ptrace: any process but the init"));
        rules.AddRange(Low32BitsAreNot(["process_vm_readv", "process_vm_writev"], 0, InitPid, "process_vm_*: any process but the init"));

        if (nesting)
        {
            rules.Add(Allow([.. SeccompSyscalls.Nesting, "clone"]));
        }
        else
        {
            rules.Add(Allow(["clone"], SeccompArgument.Masked(0, NamespaceCloneFlags, 0)));
            // clone3 passes its flags in memory: "not implemented" makes libc use clone, whose flags are checked above.
            // gVisor ignores a rule's errno and answers EPERM, which libc does not fall back from: no thread could start
            // (git's resolver, node, .NET). There clone3 is allowed; a namespace made with it is gVisor's own, served by
            // the Sentry, not by the host kernel that the refusal protects (docs/security.md, "Isolation levels").
            rules.Add(gvisor
                ? Allow(["clone3"])
                : new SeccompRule { Names = ["clone3"], Action = SeccompRule.Errno, ErrnoRet = SeccompErrno.NotImplemented });
        }

        return new SeccompProfile
        {
            ArchMap =
            [
                new("SCMP_ARCH_X86_64", ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]),
                new("SCMP_ARCH_AARCH64", ["SCMP_ARCH_ARM"]),
            ],
            Syscalls = rules,
        };
    }

    private static SeccompRule Allow(IEnumerable<string> names, SeccompArgument? condition = null, IReadOnlyList<string>? arches = null) => new()
    {
        Names = names.ToList(),
        Action = SeccompRule.Allow,
        Args = condition is null ? null : [condition],
        Includes = arches is null ? null : new SeccompFilter(arches),
    };

    /// <summary>
    /// Allows <paramref name="names"/> when the low 32 bits of argument <paramref name="index"/> differ from
    /// <paramref name="value"/>. The kernel reads pids and address families as 32-bit ints, so a plain 64-bit
    /// "not equal" is passed by setting a high bit; and the runtime OR's two conditions on one argument, so "greater
    /// than, and below 2^32" cannot be written either. One rule per bit: some low bit differs from the value's.
    /// </summary>
    private static IEnumerable<SeccompRule> Low32BitsAreNot(IReadOnlyList<string> names, int index, ulong value, string comment)
    {
        for (var bit = 0; bit < 32; bit++)
        {
            var mask = 1UL << bit;
            yield return new SeccompRule
            {
                Names = names,
                Action = SeccompRule.Allow,
                Args = [SeccompArgument.Masked(index, mask, ~value & mask)],
                Comment = bit == 0 ? comment : null,
            };
        }
    }
}
