namespace Airlock.Sandboxes.Security.Seccomp;

/// <summary>
/// One entry of a seccomp profile in the JSON form podman and Docker both read: what happens when one of
/// <see cref="Names"/> is called and every condition of <see cref="Args"/> holds.
/// </summary>
public sealed record SeccompRule
{
    public required IReadOnlyList<string> Names { get; init; }

    public required string Action { get; init; }

    /// <summary>All must hold. The engines' runtime (runc) turns two conditions on one argument into two OR'ed rules, so a rule never has that.</summary>
    public IReadOnlyList<SeccompArgument>? Args { get; init; }

    public int? ErrnoRet { get; init; }

    public SeccompFilter? Includes { get; init; }

    public string? Comment { get; init; }

    public const string Allow = "SCMP_ACT_ALLOW";
    public const string Errno = "SCMP_ACT_ERRNO";
}

/// <summary>A condition on one argument of the call.</summary>
/// <param name="Index">Which argument (0-5).</param>
/// <param name="Value">The operand; for <c>SCMP_CMP_MASKED_EQ</c> the mask.</param>
/// <param name="ValueTwo">For <c>SCMP_CMP_MASKED_EQ</c>, what the masked argument must equal.</param>
/// <param name="Op"><c>SCMP_CMP_MASKED_EQ</c>, <c>SCMP_CMP_EQ</c>, ...</param>
public sealed record SeccompArgument(
    int Index,
    ulong Value,
    ulong ValueTwo,
    string Op)
{
    public const string MaskedEqual = "SCMP_CMP_MASKED_EQ";

    /// <summary><c>(argument &amp; mask) == value</c>. Bits outside the mask are ignored, so garbage in the upper half of a register cannot slip past.</summary>
    public static SeccompArgument Masked(int index, ulong mask, ulong value) => new(index, mask, value, MaskedEqual);
}

/// <summary>Restricts a rule to some architectures (the only condition Airlock leaves to the engine: it knows where it runs).</summary>
public sealed record SeccompFilter(IReadOnlyList<string> Arches);
