using System.Globalization;
using Airlock.Engine.Exec;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Runtime;

namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// The tools' work inside a running sandbox, each an exec of argv as the sandbox's user: a command with a timeout and
/// bounded output, and the file operations through the image's own <c>cat</c>, <c>find</c> and <c>sh</c>. A path is
/// always its own argv word (the one shell script here is a constant that reads it as <c>$1</c>), and files are read
/// and written with the same rights and mounts (the project, tmpfs scratch dirs) that the sandbox's commands have,
/// which the engine's archive API would not give (it bypasses the user and misses tmpfs mounts).
/// </summary>
public sealed class SandboxExecutor(ISandboxRuntime runtime, TimeProvider time)
{
    /// <summary>
    /// coreutils' <c>timeout</c> runs the command in its own process group and signals all of it: the engine's exec API
    /// has no way to stop an exec, so the sandbox must end its own command. KILL follows TERM after this long.
    /// </summary>
    private const int KillAfterSeconds = 5;

    /// <summary>How long past its timeout a command's exec may take to end before the tool gives up waiting.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(KillAfterSeconds + 25);

    /// <summary>The constant script write_file runs; the path is its <c>$1</c>, the content its stdin.</summary>
    private const string WriteScript = "mkdir -p -- \"$(dirname -- \"$1\")\" && cat > \"$1\"";

    public async Task<CommandOutcome> RunAsync(ExecTarget target, CommandRequest request, CancellationToken ct)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(request.Timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        List<string> argv = ["timeout", "-k", $"{KillAfterSeconds}s", $"{seconds}s", .. request.Command];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(request.Timeout + Slack);
        var started = time.GetTimestamp();
        Captured captured;
        try
        {
            captured = await ExecAsync(target, argv, request.WorkingDirectory, request.Stdin, SandboxToolLimits.MaxOutputBytes, stopWhenFull: false, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SandboxToolException($"the command did not end within {request.Timeout.TotalSeconds:0} s plus {Slack.TotalSeconds:0} s for its kill; it may still run in the sandbox (delete_sandbox ends everything)");
        }

        var timedOut = captured.ExitCode is 124 or 128 + 9 && time.GetElapsedTime(started) >= request.Timeout;
        return new CommandOutcome(
            captured.ExitCode ?? -1, captured.Stdout.ToText(), captured.Stderr.ToText(), timedOut,
            captured.Stdout.Overflowed, captured.Stderr.Overflowed, captured.Stdout.Total, captured.Stderr.Total);
    }

    public async Task<byte[]> ReadFileAsync(ExecTarget target, string path, CancellationToken ct)
    {
        var captured = await ExecAsync(target, ["cat", "--", path], "/", null, SandboxToolLimits.MaxReadBytes, stopWhenFull: true, ct);
        if (captured.Stdout.Overflowed)
        {
            throw new SandboxToolException(
                $"path: {path} is larger than {SandboxToolLimits.Describe(SandboxToolLimits.MaxReadBytes)}, the most read_file returns; " +
                $"read a part of it with run_command, e.g. [\"head\", \"-c\", \"100000\", \"{path}\"], or look at its size with [\"ls\", \"-l\", \"{path}\"]");
        }

        if (captured.ExitCode != 0)
        {
            throw new SandboxToolException($"path: {path} could not be read: {Said(captured)}");
        }

        return captured.Stdout.ToArray();
    }

    public async Task WriteFileAsync(ExecTarget target, string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var captured = await ExecAsync(target, ["sh", "-c", WriteScript, "airlock-write", path], "/", content, SandboxToolLimits.MaxOutputBytes, stopWhenFull: false, ct);
        if (captured.ExitCode != 0)
        {
            throw new SandboxToolException($"path: {path} could not be written: {Said(captured)}");
        }
    }

    public async Task<SandboxFileListing> ListFilesAsync(ExecTarget target, string path, CancellationToken ct)
    {
        // Depth, type, size and name, NUL-ended: a name holds neither '/' nor NUL, so each entry splits unambiguously.
        // -H: a path that is a link to a directory lists the directory, as ls does.
        var captured = await ExecAsync(
            target, ["find", "-H", path, "-maxdepth", "1", "-printf", "%d/%y/%s/%f\\0"], "/", null, 4 * SandboxToolLimits.MaxOutputBytes, stopWhenFull: true, ct);
        var entries = new List<SandboxFileEntry>();
        var self = (SandboxFileEntry?)null;
        var text = captured.Stdout.ToText();
        foreach (var record in text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = record.Split('/', 4);
            if (parts.Length < 4 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                continue; // the last record, cut at the output cap
            }

            var type = parts[1] switch { "f" => "file", "d" => "directory", "l" => "symlink", _ => "other" };
            if (parts[0] == "0")
            {
                self = new SandboxFileEntry(parts[3], path, type, size);
                continue;
            }

            entries.Add(new SandboxFileEntry(parts[3], path.TrimEnd('/') + "/" + parts[3], type, size));
        }

        if (self is null)
        {
            throw new SandboxToolException($"path: {path} could not be listed: {Said(captured)}");
        }

        if (self.Type != "directory")
        {
            return new SandboxFileListing(path, [self], Truncated: false);
        }

        var truncated = captured.Stdout.Overflowed || entries.Count > SandboxToolLimits.MaxListEntries;
        var sorted = entries.OrderBy(e => e.Name, StringComparer.Ordinal).Take(SandboxToolLimits.MaxListEntries).ToList();
        return new SandboxFileListing(path, sorted, truncated);
    }

    /// <summary>What a failed command said, for a message: its stderr's first lines, else its exit code.</summary>
    private static string Said(Captured captured)
    {
        var stderr = captured.Stderr.ToText().Trim();
        return stderr.Length > 0 ? string.Join("; ", stderr.Split('\n').Take(5)) : $"exit code {captured.ExitCode}";
    }

    private sealed record Captured(int? ExitCode, CappedBuffer Stdout, CappedBuffer Stderr);

    /// <summary>
    /// Runs <paramref name="argv"/> to its end with stdout kept up to <paramref name="stdoutCap"/> (stderr up to the
    /// output cap). With <paramref name="stopWhenFull"/> reading stops once stdout overflows: the exec is dropped (its
    /// process gets EPIPE) and no exit code is read.
    /// </summary>
    private async Task<Captured> ExecAsync(
        ExecTarget target, IReadOnlyList<string> argv, string? workingDirectory, ReadOnlyMemory<byte>? stdin, int stdoutCap, bool stopWhenFull, CancellationToken ct)
    {
        var options = new ExecOptions
        {
            Command = argv,
            User = target.User is { Length: > 0 } user ? user : null,
            WorkingDirectory = workingDirectory ?? target.WorkingDirectory,
            AttachStdin = stdin is not null,
        };
        var exec = await runtime.ExecAsync(target.Id, options, ct);
        var stdout = new CappedBuffer(stdoutCap);
        var stderr = new CappedBuffer(SandboxToolLimits.MaxOutputBytes);
        await using (var stream = exec.Stream)
        {
            // Fed alongside the reading: a command that answers as it reads would otherwise fill its output pipe and stall.
            var feeding = stdin is { } input ? FeedAsync(stream, input, ct) : Task.CompletedTask;
            await foreach (var chunk in stream.ReadOutputAsync(ct))
            {
                (chunk.Kind == OutputKind.Stderr ? stderr : stdout).Append(chunk.Data.Span);
                if (stopWhenFull && stdout.Overflowed)
                {
                    return new Captured(null, stdout, stderr);
                }
            }

            await feeding;
        }

        return new Captured(await exec.GetExitCodeAsync(ct), stdout, stderr);
    }

    private static async Task FeedAsync(ProcessStream stream, ReadOnlyMemory<byte> input, CancellationToken ct)
    {
        try
        {
            await stream.WriteStdinAsync(input, ct);
            stream.CloseStdin();
        }
        catch (IOException)
        {
            // The command ended (or closed its stdin) before reading all of it, as `true` does: not the tool's error.
        }
    }
}
