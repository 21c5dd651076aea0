using System.Text.Json;
using Airlock.Sandboxes.Security.Seccomp;
using Airlock.Sandboxes.Specs;

namespace Airlock.Sandboxes.Tests.Security;

/// <summary>Airlock's seccomp profile as the engines receive it (the JSON), read back rule by rule.</summary>
public sealed class SandboxSeccompTests
{
    private const ulong SetIdBits = 0x0C00;

    private static readonly SeccompProfile Walled = SandboxSeccomp.For(SecurityPolicy.Default);
    private static readonly SeccompProfile Nesting = SandboxSeccomp.For(SecurityPolicy.Default with { Nesting = true });

    private static IEnumerable<SeccompRule> RulesFor(SeccompProfile profile, string syscall) => profile.Syscalls.Where(r => r.Names.Contains(syscall));

    private static bool AllowedUnconditionally(SeccompProfile profile, string syscall) =>
        RulesFor(profile, syscall).Any(r => r.Action == SeccompRule.Allow && r.Args is null && r.Includes is null);

    [Theory]
    [InlineData("unshare")]
    [InlineData("setns")]
    [InlineData("mount")]
    [InlineData("umount2")]
    [InlineData("pivot_root")]
    [InlineData("fsopen")]
    [InlineData("fsmount")]
    [InlineData("move_mount")]
    [InlineData("open_tree")]
    [InlineData("mount_setattr")]
    [InlineData("keyctl")]
    [InlineData("bpf")]
    [InlineData("perf_event_open")]
    [InlineData("kexec_load")]
    [InlineData("init_module")]
    [InlineData("userfaultfd")]
    [InlineData("socketcall")]
    public void Without_nesting_namespaces_mounts_and_kernel_facilities_are_not_allowed_at_all(string syscall)
    {
        RulesFor(Walled, syscall).Where(r => r.Action == SeccompRule.Allow).ShouldBeEmpty();
    }

    [Fact]
    public void Without_nesting_clone_may_not_ask_for_a_new_namespace_and_clone3_is_not_implemented()
    {
        var clone = RulesFor(Walled, "clone").ShouldHaveSingleItem();
        clone.Args.ShouldBe([SeccompArgument.Masked(0, 0x7E020000, 0)]);
        RulesFor(Walled, "clone3").ShouldHaveSingleItem().ErrnoRet.ShouldBe(SeccompErrno.NotImplemented);
    }

    [Fact]
    public void Under_gvisor_clone3_is_allowed_because_gvisor_answers_eperm_for_any_refusal_and_no_thread_could_start()
    {
        var gvisor = SandboxSeccomp.For(SecurityPolicy.Default, IsolationLevel.Gvisor);

        AllowedUnconditionally(gvisor, "clone3").ShouldBeTrue();
        RulesFor(gvisor, "clone").ShouldHaveSingleItem().Args!.Single().ShouldBe(RulesFor(Walled, "clone").Single().Args!.Single());
        static string Describe(SeccompRule r) => $"{string.Join(',', r.Names)} {r.Action} {r.ErrnoRet} {string.Join(';', r.Args ?? [])}";
        gvisor.Syscalls.Where(r => !r.Names.Contains("clone3")).Select(Describe)
            .ShouldBe(Walled.Syscalls.Where(r => !r.Names.Contains("clone3")).Select(Describe), "clone3 is the one difference");
    }

    [Theory]
    [InlineData("unshare")]
    [InlineData("clone")]
    [InlineData("clone3")]
    [InlineData("mount")]
    [InlineData("fsopen")]
    [InlineData("pivot_root")]
    public void Nesting_allows_namespaces_and_mounts(string syscall)
    {
        AllowedUnconditionally(Nesting, syscall).ShouldBeTrue();
    }

    [Theory]
    [InlineData("chmod", 1)]
    [InlineData("fchmod", 1)]
    [InlineData("creat", 1)]
    [InlineData("fchmodat", 2)]
    [InlineData("open", 2)]
    [InlineData("openat", 3)]
    public void Every_call_that_sets_a_mode_is_allowed_only_without_setuid_and_setgid_bits(string syscall, int modeIndex)
    {
        foreach (var profile in new[] { Walled, Nesting })
        {
            AllowedUnconditionally(profile, syscall).ShouldBeFalse();
            RulesFor(profile, syscall).ShouldContain(r => r.Args!.Single() == SeccompArgument.Masked(modeIndex, SetIdBits, 0));
        }
    }

    [Theory]
    [InlineData("open", 1)]
    [InlineData("openat", 2)]
    public void An_open_that_creates_nothing_is_allowed_whatever_its_mode_argument_holds(string syscall, int flagsIndex)
    {
        // O_CREAT | __O_TMPFILE: the only flags with which the kernel reads the mode.
        RulesFor(Walled, syscall).ShouldContain(r => r.Args!.Single() == SeccompArgument.Masked(flagsIndex, 0x400040, 0));
        RulesFor(Walled, syscall).Count().ShouldBe(2);
    }

    [Theory]
    [InlineData("mknod", 1)]
    [InlineData("mknodat", 2)]
    public void Mknod_makes_only_plain_files_fifos_and_sockets_without_setuid_or_setgid(string syscall, int modeIndex)
    {
        var allowed = RulesFor(Walled, syscall).Select(r => r.Args!.Single()).ToList();

        allowed.ShouldAllBe(a => a.Index == modeIndex && a.Op == SeccompArgument.MaskedEqual && a.Value == (0xF000 | SetIdBits));
        allowed.Select(a => a.ValueTwo).ShouldBe([0x0UL, 0x8000UL, 0x1000UL, 0xC000UL], ignoreOrder: true);
    }

    [Theory]
    [InlineData("openat2")]
    [InlineData("fchmodat2")]
    [InlineData("io_uring_setup")]
    [InlineData("io_uring_enter")]
    public void Calls_whose_modes_a_filter_cannot_see_answer_not_implemented(string syscall)
    {
        RulesFor(Walled, syscall).ShouldHaveSingleItem().ErrnoRet.ShouldBe(SeccompErrno.NotImplemented);
    }

    [Theory]
    [InlineData("ptrace", 1, 1UL)]
    [InlineData("process_vm_writev", 0, 1UL)]
    [InlineData("process_vm_readv", 0, 1UL)]
    [InlineData("socket", 0, 40UL)]
    public void A_32_bit_argument_is_refused_for_one_value_even_with_high_bits_set(string syscall, int index, ulong refused)
    {
        var rules = RulesFor(Walled, syscall).ToList();

        rules.ShouldAllBe(r => r.Args!.Count == 1 && r.Args[0].Index == index);
        bool Allows(ulong argument) => rules.Any(r => (argument & r.Args![0].Value) == r.Args[0].ValueTwo);
        Allows(refused).ShouldBeFalse();
        Allows(refused | (1UL << 32)).ShouldBeFalse("the kernel reads only the low 32 bits");
        Allows(0).ShouldBeTrue();
        Allows(refused + 1).ShouldBeTrue();
        Allows(4242).ShouldBeTrue();
    }

    [Fact]
    public void No_rule_puts_two_conditions_on_one_argument_which_the_runtime_would_OR()
    {
        foreach (var rule in Walled.Syscalls.Concat(Nesting.Syscalls).Where(r => r.Args is not null))
        {
            rule.Args!.Select(a => a.Index).ShouldBeUnique();
        }
    }

    [Fact]
    public void Everyday_calls_are_allowed_unconditionally()
    {
        foreach (var syscall in new[] { "read", "write", "execve", "fork", "wait4", "mmap", "futex", "connect", "unlink", "rename", "mkdir", "chown", "setxattr", "landlock_restrict_self" })
        {
            AllowedUnconditionally(Walled, syscall).ShouldBeTrue(syscall);
        }
    }

    [Fact]
    public void Optional_fields_are_left_out_of_the_json_and_every_field_is_written()
    {
        using var json = JsonDocument.Parse(Walled.ToJson());
        var rules = json.RootElement.GetProperty("syscalls").EnumerateArray().ToList();

        rules.Count.ShouldBe(Walled.Syscalls.Count);
        static JsonElement? Field(JsonElement rule, string name) => rule.TryGetProperty(name, out var value) ? value : null;
        Field(rules[0], "args").ShouldBeNull();
        rules.Select(r => Field(r, "errnoRet")?.GetInt32()).ShouldContain(38);
        rules.Select(r => Field(r, "includes")?.GetProperty("arches")[0].GetString()).ShouldContain("amd64");
        rules.Count(r => Field(r, "comment") is not null).ShouldBe(3, "socket, ptrace and process_vm_* say why");
        json.RootElement.GetProperty("archMap")[0].GetProperty("subArchitectures").EnumerateArray().Select(a => a.GetString()).ShouldBe(["SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
    }

    [Fact]
    public void The_profile_is_the_engines_json_format_and_denies_with_EPERM_by_default()
    {
        using var json = JsonDocument.Parse(Walled.ToJson());
        var root = json.RootElement;

        root.GetProperty("defaultAction").GetString().ShouldBe("SCMP_ACT_ERRNO");
        root.GetProperty("defaultErrnoRet").GetInt32().ShouldBe(1);
        root.GetProperty("archMap")[0].GetProperty("architecture").GetString().ShouldBe("SCMP_ARCH_X86_64");
        var chmod = root.GetProperty("syscalls").EnumerateArray().Single(r => r.GetProperty("names").EnumerateArray().Any(n => n.GetString() == "chmod"));
        chmod.GetProperty("action").GetString().ShouldBe("SCMP_ACT_ALLOW");
        var arg = chmod.GetProperty("args")[0];
        (arg.GetProperty("index").GetInt32(), arg.GetProperty("value").GetUInt64(), arg.GetProperty("valueTwo").GetUInt64(), arg.GetProperty("op").GetString())
            .ShouldBe((1, SetIdBits, 0UL, "SCMP_CMP_MASKED_EQ"));
    }

    [Fact]
    public void The_same_policy_gives_the_same_bytes()
    {
        SandboxSeccomp.For(new SecurityPolicy([], true)).ToJson().ShouldBe(Walled.ToJson());
        SandboxSeccomp.JsonFor(SecurityPolicy.Default).ShouldBe(Walled.ToJson());
        Nesting.ToJson().ShouldNotBe(Walled.ToJson());
    }
}
