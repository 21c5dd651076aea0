using System.Globalization;
using System.Text;
using Airlock.Engine.Errors;
using Airlock.Engine.Exec;
using Airlock.Engine.Streams;
using Airlock.Sandboxes.Runtime;
using Airlock.Server.Errors;

namespace Airlock.Server.Sandboxes.Files;

/// <summary>
/// list, mkdir, move and delete: commands run in the sandbox as its own user (argv arrays, each path its own argument
/// after the options), so the sandbox's kernel resolves every path and nothing outside it can be reached.
/// </summary>
public sealed partial class SandboxFiles
{
    public async Task<SandboxFileList> ListAsync(SandboxHandle sandbox, string path, CancellationToken ct)
    {
        var (resolved, stat) = await ResolveAsync(sandbox, path, "query.path", ct);
        if (stat.Kind != SandboxPathKind.Directory)
        {
            throw ApiException.BadRequest($"query.path: {path} is not a directory; stat it with GET /v1/sandboxes/{sandbox.Id}/files/stat?path={path}");
        }

        // find's options come before the start path, which is absolute (so never read as an option); -printf separates
        // fields with NUL, which no file name holds. Output is read as it comes and the listing refused past the bound.
        SandboxExecution execution;
        try
        {
            execution = await sandbox.Runtime.ExecAsync(sandbox.Container, new ExecOptions
            {
                Command = ["find", "-P", resolved, "-mindepth", "1", "-maxdepth", "1", "-printf", @"%y\0%s\0%m\0%T@\0%l\0%f\0"],
            }, ct);
        }
        catch (EngineException ex) when (ex is not EngineUnreachableException)
        {
            throw CommandFailed(sandbox, "query.path", path, "list", 127, ex.Message);
        }

        var entries = new List<SandboxFileEntry>();
        var stderr = new StringBuilder();
        var fields = new List<string>(6);
        var pending = new List<byte>();
        var tooMany = false;
        await using (execution.Stream)
        {
            await foreach (var chunk in execution.Stream.ReadOutputAsync(ct))
            {
                if (chunk.Kind == OutputKind.Stderr)
                {
                    if (stderr.Length < MaxErrorChars)
                    {
                        stderr.Append(Encoding.UTF8.GetString(chunk.Data.Span));
                    }

                    continue;
                }

                foreach (var b in chunk.Data.Span)
                {
                    if (b != 0)
                    {
                        pending.Add(b);
                        continue;
                    }

                    fields.Add(Encoding.UTF8.GetString([.. pending]));
                    pending.Clear();
                    if (fields.Count == 6)
                    {
                        entries.Add(ParseEntry(resolved == "/" ? "" : path, fields));
                        fields.Clear();
                    }
                }

                if (entries.Count > ServerLimits.MaxListEntries)
                {
                    tooMany = true;
                    break; // Closing the stream ends find with SIGPIPE at its next write.
                }
            }
        }

        if (tooMany)
        {
            throw new ApiException(413, "directory too large", $"query.path: {path} has more than {ServerLimits.MaxListEntries} entries, the most a listing returns (ServerLimits.MaxListEntries); list its subdirectories, or download it with GET .../files/archive");
        }

        if (await execution.GetExitCodeAsync(ct) is not 0 and var code)
        {
            throw CommandFailed(sandbox, "query.path", path, "list", code, stderr.ToString());
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new SandboxFileList(path, entries);
    }

    public async Task<SandboxFileEntry> MakeDirectoryAsync(SandboxHandle sandbox, string path, bool parents, CancellationToken ct)
    {
        await RunAsync(sandbox, "mkdir.path", path, "mkdir", parents ? ["mkdir", "-p", "--", path] : ["mkdir", "--", path], ct);
        return await StatAsync(sandbox, path, "mkdir.path", ct);
    }

    public async Task<SandboxFileEntry> MoveAsync(SandboxHandle sandbox, string from, string to, CancellationToken ct)
    {
        if (from == "/" || to == "/")
        {
            throw ApiException.BadRequest($"move.{(from == "/" ? "from" : "to")}: / is the sandbox's root directory, which cannot be moved or replaced");
        }

        if (to == from || to.StartsWith(from + "/", StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"move.to: {to} is {(to == from ? "the same path as" : "inside")} move.from {from}; a path cannot be moved into itself");
        }

        _ = await StatAsync(sandbox, from, "move.from", ct);
        // -T: 'to' is the new name itself, never a directory to move into, so the result is where the caller said.
        await RunAsync(sandbox, "move.to", to, "move", ["mv", "-f", "-T", "--", from, to], ct);
        return await StatAsync(sandbox, to, "move.to", ct);
    }

    public async Task DeleteAsync(SandboxHandle sandbox, string path, bool recursive, CancellationToken ct)
    {
        if (path == "/")
        {
            throw ApiException.BadRequest("query.path: / is the sandbox's root directory, which cannot be deleted; delete the sandbox instead");
        }

        // The path itself is looked at, not what a link there points to: deleting a link removes the link.
        var stat = await sandbox.Runtime.StatPathAsync(sandbox.Container, path, ct) ?? throw Missing(sandbox, "query.path", path);
        string[] command = (stat.Kind, recursive) switch
        {
            (SandboxPathKind.Directory, false) => ["rmdir", "--", path],
            (_, true) => ["rm", "-r", "-f", "--", path],
            _ => ["rm", "-f", "--", path],
        };
        await RunAsync(sandbox, "query.path", path, "delete", command, ct);
    }

    private static SandboxFileEntry ParseEntry(string dir, List<string> f)
    {
        var kind = f[0] switch { "f" => "file", "d" => "directory", "l" => "symlink", _ => "other" };
        var size = long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var mode = Convert.ToInt32(f[2].Length is > 0 and <= 5 && f[2].All(c => c is >= '0' and <= '7') ? f[2] : "0", 8);
        var seconds = decimal.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : 0;
        var modified = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return new SandboxFileEntry(f[5], $"{dir}/{f[5]}", kind, size, SandboxFileEntry.Octal(mode), modified, kind == "symlink" ? f[4] : null);
    }

    private static async Task RunAsync(SandboxHandle sandbox, string field, string path, string what, string[] command, CancellationToken ct)
    {
        ExecResult result;
        try
        {
            result = await sandbox.Runtime.RunAsync(sandbox.Container, new ExecOptions { Command = command }, null, ct);
        }
        catch (EngineException ex) when (ex is not EngineUnreachableException)
        {
            // podman refuses to start an exec whose program is missing; Docker starts it and answers 126 or 127.
            throw CommandFailed(sandbox, field, path, what, 127, ex.Message);
        }

        if (result.ExitCode != 0)
        {
            throw CommandFailed(sandbox, field, path, what, result.ExitCode, result.Stderr);
        }
    }

    private static ApiException CommandFailed(SandboxHandle sandbox, string field, string path, string what, int code, string stderr)
    {
        var message = stderr.Trim() is { Length: > 0 } text ? (text.Length > MaxErrorChars ? text[..MaxErrorChars] + "..." : text) : $"exit code {code}";
        if (code is 126 or 127)
        {
            return ApiException.Conflict($"{field}: {what} of {path} needs coreutils in sandbox {sandbox.Id}, which its image lacks ({message})");
        }

        return message.Contains("No such file or directory", StringComparison.Ordinal)
            ? ApiException.NotFound($"{field}: {what} of {path} failed in sandbox {sandbox.Id}: {message}")
            : message.Contains("Directory not empty", StringComparison.Ordinal)
                ? ApiException.Conflict($"{field}: {path} is a directory that is not empty; pass recursive=true to delete it with everything in it ({message})")
                : ApiException.Conflict($"{field}: {what} of {path} failed in sandbox {sandbox.Id}: {message}");
    }
}
