using System.Text.RegularExpressions;

namespace Airlock.Cli.Doctor;

/// <summary>Words for the command lines doctor prints: quoted only when the shell would otherwise split or expand them.</summary>
public static partial class Shell
{
    public static string Quote(string word) =>
        Plain().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z0-9@%+=:,./_-]+$")]
    private static partial Regex Plain();
}
