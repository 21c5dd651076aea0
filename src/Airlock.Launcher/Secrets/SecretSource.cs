using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Airlock.Sandboxes.Paths;

namespace Airlock.Launcher.Secrets;

/// <summary>Where a secret's value is read on the host, when the session starts: <c>env:VAR</c>, <c>file:PATH</c> or <c>command:CMD</c>.</summary>
public sealed record SecretSource(string Kind, string Argument)
{
    public const string Forms = "env:VAR, file:PATH, or command:CMD (such as command:pass show openai)";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    public static SecretSource FromEnv(string variable) => new("env", variable);

    public static SecretSource Parse(string text, string where) =>
        TryParse(text, out var source, out var problem) ? source : throw new LauncherException($"{where}: {problem}");

    public static bool TryParse(string text, [NotNullWhen(true)] out SecretSource? source, [NotNullWhen(false)] out string? problem)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? string.Empty : text[..colon];
        var argument = colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
        if (kind is not ("env" or "file" or "command") || argument.Length == 0)
        {
            source = null;
            problem = $"'{text}' is not a secret source; use {Forms}";
            return false;
        }

        source = new SecretSource(kind, argument);
        problem = null;
        return true;
    }

    public override string ToString() => $"{Kind}:{Argument}";

    /// <summary>The value; an error naming <paramref name="where"/> and the fix when there is none.</summary>
    public string Read(string where, AirlockPaths paths, Func<string, string?> hostEnv)
    {
        var value = Kind switch
        {
            "env" => hostEnv(Argument) ?? throw new LauncherException($"{where}: ${Argument} is not set on the host; set it, or name another source ({Forms})"),
            "file" => ReadFile(where, paths.Expand(Argument)),
            _ => RunCommand(where),
        };
        value = value.TrimEnd('\r', '\n');
        return value.Length > 0 ? value : throw new LauncherException($"{where}: {this} gave an empty value");
    }

    private static string ReadFile(string where, string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new LauncherException($"{where}: {path} does not exist; create it (its content is the secret) or name another source");

    private string RunCommand(string where)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Argument);
        using var process = Process.Start(start) ?? throw new LauncherException($"{where}: cannot start /bin/sh for {this}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new LauncherException($"{where}: {this} did not finish within {CommandTimeout.TotalSeconds:0} s");
        }

        // The value is never part of a message; the command's own error output is.
        return process.ExitCode == 0
            ? output.GetAwaiter().GetResult()
            : throw new LauncherException($"{where}: {this} failed (exit {process.ExitCode}): {error.GetAwaiter().GetResult().Trim()}");
    }
}
