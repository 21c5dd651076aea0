using System.CommandLine;
using Airlock.Client;
using System.Text.RegularExpressions;
using Airlock.Cli.Errors;
using Airlock.Cli.Help;

namespace Airlock.Cli.Remote;

/// <summary>
/// <c>airlock sandbox cp SRC DST</c>, like <c>docker cp</c>: one side is <c>SANDBOX:/abs/path</c>, the other a host path
/// or <c>-</c> (a tar on stdin or stdout). Files go as raw bytes, directories as tars; what comes back from a sandbox is
/// extracted by <see cref="HostArchive"/>, which treats it as hostile.
/// </summary>
public static partial class SandboxCopyCommand
{
    public static Command Create(CliContext context)
    {
        var remote = new RemoteOptions();
        var source = new Argument<string>("SRC") { Description = "What to copy: SANDBOX:/abs/path, a host file or directory, or - for a tar on stdin." };
        var destination = new Argument<string>("DST") { Description = "Where to: SANDBOX:/abs/path, a host path, or - for a tar on stdout." };
        var command = remote.AddTo(new Command("cp", "Copy files and directories between a sandbox and this machine.") { source, destination }, json: false);
        command.WithHelp(
            """
            One side is SANDBOX:PATH (the sandbox's id or name, and an absolute path in it), the other a path here. As with
            `docker cp`: copying onto an existing directory puts the source inside it under its own name; onto a path that
            does not exist yet, the source is written with that name. A link at the sandbox path is followed within the
            sandbox. `-` stands for a tar stream: on stdout when copying out, on stdin when copying in (extracted into the
            sandbox directory PATH). Uploads are at most 1 GiB each.

            What a sandbox sends back is treated as hostile: entries that are absolute, climb out with '..', are hard links,
            devices or pipes, or would be written through a link are refused, and setuid, setgid and sticky bits are dropped.
            Reading needs a viewer key, writing an operator key.
            """,
            "airlock sandbox cp build-1:/work/report.txt ./report.txt",
            "airlock sandbox cp build-1:/work/out ./results          # the directory, as ./results (or ./results/out when it exists)",
            "airlock sandbox cp ./src build-1:/work                  # /work/src in the sandbox",
            "airlock sandbox cp ./notes.md build-1:/tmp/notes.md",
            "airlock sandbox cp build-1:/var/log - | tar -tv         # a tar on stdout",
            "tar -C ./site -cf - . | airlock sandbox cp - build-1:/srv/www");
        command.SetAction(async (parse, ct) =>
        {
            var src = Side.Parse(parse.GetRequiredValue(source), "SRC");
            var dst = Side.Parse(parse.GetRequiredValue(destination), "DST");
            if ((src.Sandbox is null) == (dst.Sandbox is null))
            {
                throw new UserInputException(
                    src.Sandbox is null ? "neither SRC nor DST names a sandbox" : "both SRC and DST name a sandbox",
                    "name exactly one side as SANDBOX:/abs/path, e.g. airlock sandbox cp build-1:/work/out ./out (copy between sandboxes through this machine)");
            }

            using var server = remote.Connect(context, parse);
            if (src.Sandbox is { } from)
            {
                var sandbox = await SandboxCommands.ResolveAsync(server, from, ct);
                await DownloadAsync(server, sandbox.Id, src.Path, dst.Path, ct);
            }
            else
            {
                var sandbox = await SandboxCommands.ResolveAsync(server, dst.Sandbox!, ct);
                await UploadAsync(server, sandbox.Id, src.Path, dst.Path, ct);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task DownloadAsync(ServerConnection server, string id, string path, string local, CancellationToken ct)
    {
        await using var tar = await server.CallAsync(c => c.Files.DownloadArchiveAsync(id, path, ct), SandboxCommands.ListFix);
        if (local == "-")
        {
            await using var stdout = System.Console.OpenStandardOutput();
            await tar.CopyToAsync(stdout, ct);
            return;
        }

        // An existing directory here (the user's own path, so a link the user made is theirs to follow) takes the copy
        // under its own name; otherwise the copy is made with the destination's name in its parent.
        var full = Path.GetFullPath(local);
        var (directory, rootName) = Directory.Exists(full)
            ? (full, (string?)null)
            : (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full)) ?? "/", Path.GetFileName(Path.TrimEndingDirectorySeparator(full)));
        if (!Directory.Exists(directory))
        {
            throw new UserInputException($"{directory} does not exist, so {local} cannot be made in it", $"create it first (mkdir -p {directory})");
        }

        // Tar reading is synchronous; the response stream blocks only this command's thread.
        await Task.Run(() => HostArchive.Extract(tar, directory, rootName), ct);
    }

    private static async Task UploadAsync(ServerConnection server, string id, string local, string path, CancellationToken ct)
    {
        if (local == "-")
        {
            await using var stdin = System.Console.OpenStandardInput();
            await server.CallAsync(c => c.Files.UploadArchiveAsync(id, path, stdin, ct), SandboxCommands.ListFix);
            return;
        }

        var full = Path.GetFullPath(local);
        var there = await StatAsync(server, id, path, ct);
        if (Directory.Exists(full))
        {
            if (there is null)
            {
                // A new name: the directory's contents go into a directory made with it.
                await server.CallAsync(c => c.Files.MakeDirectoryAsync(id, path, parents: false, ct), SandboxCommands.ListFix);
                await server.CallAsync(c => c.Files.UploadArchiveAsync(id, path, new DirectoryTarContent(full, includeBase: false), ct), SandboxCommands.ListFix);
                return;
            }

            if (there.Kind != "directory")
            {
                throw new UserInputException($"{path} in the sandbox is a {there.Kind}; a directory cannot be copied onto it", "name a directory, or a path that does not exist yet");
            }

            await server.CallAsync(c => c.Files.UploadArchiveAsync(id, path, new DirectoryTarContent(full, includeBase: true), ct), SandboxCommands.ListFix);
            return;
        }

        if (!File.Exists(full))
        {
            throw new UserInputException($"{local} does not exist here", "give an existing file or directory, or - for a tar on stdin");
        }

        var target = there?.Kind == "directory" ? path.TrimEnd('/') + "/" + Path.GetFileName(full) : path;
        var mode = OperatingSystem.IsWindows() ? 0x1A4 : (int)File.GetUnixFileMode(full) & 0x1FF;
        await using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await server.CallAsync(c => c.Files.UploadAsync(id, target, file, mode, ct), SandboxCommands.ListFix);
    }

    /// <summary>What the sandbox has at <paramref name="path"/> (a link followed to what it names); null when nothing.</summary>
    private static async Task<SandboxFile?> StatAsync(ServerConnection server, string id, string path, CancellationToken ct)
    {
        var stat = await server.CallAsync(c => c.Files.TryStatAsync(id, path, ct), SandboxCommands.ListFix);
        return stat is { Kind: "symlink", LinkTarget: { } target } ? await StatAsync(server, id, target, ct) : stat;
    }

    /// <summary>One side of a copy: a sandbox (id or name) and an absolute path in it, or a host path (Sandbox null).</summary>
    private sealed record Side(string? Sandbox, string Path)
    {
        public static Side Parse(string text, string which)
        {
            if (SandboxSide().Match(text) is not { Success: true } match)
            {
                return new Side(null, text);
            }

            var path = match.Groups["path"].Value;
            if (!path.StartsWith('/'))
            {
                throw new UserInputException(
                    $"{which} '{text}': the path in the sandbox must be absolute",
                    $"write it from the sandbox's root, e.g. {match.Groups["sandbox"].Value}:/{path.TrimStart('.', '/')} (a host path with ':' in it can be given as ./{text})");
            }

            return new Side(match.Groups["sandbox"].Value, path);
        }
    }

    /// <summary>A sandbox's id or name (lower-case letters, digits, '-') before the first ':'; a host path with ':' can start with ./.</summary>
    [GeneratedRegex("^(?<sandbox>[a-z0-9][a-z0-9-]{0,62}):(?<path>.*)$")]
    private static partial Regex SandboxSide();
}
