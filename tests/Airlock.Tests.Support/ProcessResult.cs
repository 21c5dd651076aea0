using System.Text.RegularExpressions;

namespace Airlock.Tests.Support;

/// <summary>What a finished program printed and returned; ToString shows all of it, for failure messages.</summary>
public sealed partial record ProcessResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard error with line breaks and runs of spaces folded to one space (messages wrap at the console width).</summary>
    public string Message => Whitespace().Replace(Stderr, " ").Trim();

    /// <summary><c>var (code, stdout, stderr) = result</c>, as the tests that once had a tuple here write it.</summary>
    public void Deconstruct(out int exitCode, out string stdout, out string stderr) => (exitCode, stdout, stderr) = (ExitCode, Stdout, Stderr);

    public override string ToString() => $"$ {CommandLine}\nexit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Fails with the whole output unless the program exited 0.</summary>
    public ProcessResult ShouldSucceed()
    {
        ExitCode.ShouldBe(0, ToString());
        return this;
    }

    /// <summary>
    /// Fails unless the program exited 2 (the user's input is wrong) with an error message containing every fragment
    /// (case-sensitive, whitespace folded).
    /// </summary>
    public ProcessResult ShouldBeUserError(params string[] fragments)
    {
        ExitCode.ShouldBe(2, ToString());
        Stderr.ShouldContain("error:", Case.Sensitive, ToString());
        foreach (var fragment in fragments)
        {
            Message.ShouldContain(fragment, Case.Sensitive, ToString());
        }

        return this;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
