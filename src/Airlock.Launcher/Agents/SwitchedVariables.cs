namespace Airlock.Launcher.Agents;

/// <summary>Variables an agent reads only when <paramref name="Switch"/> is on in the host's environment.</summary>
/// <param name="Switch">e.g. <c>CLAUDE_CODE_USE_BEDROCK</c>: on when set to anything but empty, <c>0</c> or <c>false</c>.</param>
public sealed record SwitchedVariables(string Switch, IReadOnlyList<string> Names)
{
    public bool IsOn(Func<string, string?> hostValue) =>
        hostValue(Switch) is { Length: > 0 } value && value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
}
