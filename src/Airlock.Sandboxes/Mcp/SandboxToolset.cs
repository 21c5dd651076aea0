using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;

namespace Airlock.Sandboxes.Mcp;

/// <summary>
/// The MCP tools over sandboxes, the same for every face that offers them: their names, the descriptions an LLM chooses
/// and calls them by, their JSON Schemas, the checking of every argument, and the bounds of <see cref="SandboxToolLimits"/>.
/// What they act on is <see cref="ISandboxTools"/>.
/// </summary>
public static class SandboxToolset
{
    public const string CreateSandbox = "create_sandbox";
    public const string ListSandboxes = "list_sandboxes";
    public const string RunCommand = "run_command";
    public const string ReadFile = "read_file";
    public const string WriteFile = "write_file";
    public const string ListFiles = "list_files";
    public const string DeleteSandbox = "delete_sandbox";

    /// <summary>The network modes create_sandbox takes (the launcher's names).</summary>
    public static readonly IReadOnlyList<string> NetworkChoices = ["open", "allowlist", "none"];

    private static readonly IReadOnlyList<string> Encodings = ["utf-8", "base64"];

    /// <summary>What the server tells a client about itself when it connects.</summary>
    public const string Instructions =
        "Tools to work inside isolated Airlock sandboxes (containers) instead of on the host: create_sandbox first (it mounts " +
        "the project at the same path as on the host), then run_command, read_file, write_file and list_files with the sandbox " +
        "name it returned, and delete_sandbox when done. Commands run as the user, in the sandbox only; changes to the project " +
        "directory are visible on the host, everything else stays in the sandbox and is gone after delete_sandbox.";

    /// <param name="defaultNamespace">The namespace create_sandbox uses when none is given, named in its description.</param>
    public static IReadOnlyList<SandboxTool> For(ISandboxTools tools, string defaultNamespace) => For(tools, SandboxToolFace.Launcher(defaultNamespace));

    /// <param name="face">What create_sandbox says it makes, on the face offering the tools.</param>
    public static IReadOnlyList<SandboxTool> For(ISandboxTools tools, SandboxToolFace face) =>
    [
        Tool(CreateSandbox, "Create a sandbox",
            face.CreateDescription,
            $$"""
            {"type":"object","properties":{
              "namespace":{"type":"string","description":"{{JsonEncodedText.Encode(face.NamespaceDescription)}}"},
              "network":{"type":"string","enum":["open","allowlist","none"],"description":"Network for this sandbox: open (internet, never the host's private networks), allowlist (only the namespace's listed destinations), none (loopback only). Default: the namespace's setting."},
              "allowConcurrent":{"type":"boolean","description":"Create it even though another sandbox already works on this project. Default: false."}
            },"additionalProperties":false}
            """,
            annotations: new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, OpenWorldHint = false },
            ["namespace", "network", "allowConcurrent"],
            async (args, ct) =>
            {
                var request = new SandboxCreateRequest(args.String("namespace", required: false), args.Choice("network", NetworkChoices), args.Boolean("allowConcurrent") ?? false);
                args.ThrowIfAny();
                return Json(await tools.CreateAsync(request, ct), SandboxToolJson.Readable.McpSandbox);
            }),

        Tool(ListSandboxes, "List sandboxes",
            "List the sandboxes this MCP server created that still exist, with their name, namespace, image, working directory (the project), " +
            "network and whether they run. Sandboxes started by the person at a terminal (airlock, airlock run) are never listed or touched.",
            """{"type":"object","properties":{},"additionalProperties":false}""",
            annotations: new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
            [],
            async (args, ct) =>
            {
                args.ThrowIfAny();
                return Json(new SandboxList(await tools.ListAsync(ct)), SandboxToolJson.Readable.SandboxList);
            }),

        Tool(RunCommand, "Run a command in a sandbox",
            "Run a program in a sandbox and wait for it to end; returns its exit code, stdout and stderr (each cut at " +
            $"{SandboxToolLimits.Describe(SandboxToolLimits.MaxOutputBytes)}, with *Truncated and the full byte counts saying so). The command is argv, " +
            "run directly without a shell: [\"ls\", \"-la\"]. For pipes, redirection, globs, && or environment variables, run a shell " +
            "explicitly: [\"sh\", \"-c\", \"make test 2>&1 | tail -n 50\"]. It runs as the user in the project directory unless workingDirectory " +
            $"says otherwise, and is killed after timeoutSeconds (default {SandboxToolLimits.DefaultTimeoutSeconds}; timedOut is then true). " +
            "A non-zero exit code is a normal result, not a tool error.",
            $$"""
            {"type":"object","properties":{
              "sandbox":{"type":"string","description":"The sandbox's name, from create_sandbox or list_sandboxes."},
              "command":{"type":"array","items":{"type":"string"},"minItems":1,"description":"The program and its arguments, one word per item, e.g. [\"python3\", \"-m\", \"pytest\", \"-q\"]."},
              "workingDirectory":{"type":"string","description":"Absolute path inside the sandbox to run in. Default: the project directory."},
              "stdin":{"type":"string","description":"Text fed to the command's standard input (at most {{SandboxToolLimits.Describe(SandboxToolLimits.MaxStdinBytes)}}). Default: none."},
              "timeoutSeconds":{"type":"integer","minimum":1,"maximum":{{SandboxToolLimits.MaxTimeoutSeconds}},"description":"Seconds before the command is killed. Default: {{SandboxToolLimits.DefaultTimeoutSeconds}}."}
            },"required":["sandbox","command"],"additionalProperties":false}
            """,
            annotations: new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = true, OpenWorldHint = true },
            ["sandbox", "command", "workingDirectory", "stdin", "timeoutSeconds"],
            async (args, ct) =>
            {
                var sandbox = args.String("sandbox", required: true);
                var command = args.StringArray("command", required: true, "[\"ls\", \"-la\"]");
                var directory = args.Path("workingDirectory", required: false);
                var stdin = args.String("stdin", required: false) is { } text ? Encoding.UTF8.GetBytes(text) : null;
                if (stdin is { Length: > SandboxToolLimits.MaxStdinBytes })
                {
                    args.Problem($"stdin: {SandboxToolLimits.Describe(stdin.Length)}, more than the {SandboxToolLimits.Describe(SandboxToolLimits.MaxStdinBytes)} it takes; write the input to a file with write_file and have the command read it");
                }

                var timeout = args.Integer("timeoutSeconds", 1, SandboxToolLimits.MaxTimeoutSeconds) ?? SandboxToolLimits.DefaultTimeoutSeconds;
                args.ThrowIfAny();
                // Spelt out: a null (byte[] or literal) converts to an empty ReadOnlyMemory, which would attach an empty stdin.
                var input = stdin is null ? default(ReadOnlyMemory<byte>?) : stdin;
                var request = new CommandRequest(command!, directory, input, TimeSpan.FromSeconds(timeout));
                return Answer(await tools.RunAsync(sandbox!, request, ct));
            }),

        Tool(ReadFile, "Read a file in a sandbox",
            $"Read a file inside a sandbox (at most {SandboxToolLimits.Describe(SandboxToolLimits.MaxReadBytes)}). Returns its size and content: as text when " +
            "the file is UTF-8 (encoding \"utf-8\"), else base64 (encoding \"base64\"). For part of a larger file use run_command with head, tail or sed.",
            """
            {"type":"object","properties":{
              "sandbox":{"type":"string","description":"The sandbox's name, from create_sandbox or list_sandboxes."},
              "path":{"type":"string","description":"Absolute path of the file inside the sandbox, e.g. /tmp/out.txt; the project is at the same path as on the host."}
            },"required":["sandbox","path"],"additionalProperties":false}
            """,
            annotations: new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
            ["sandbox", "path"],
            async (args, ct) =>
            {
                var sandbox = args.String("sandbox", required: true);
                var path = args.Path("path", required: true);
                args.ThrowIfAny();
                var bytes = await tools.ReadFileAsync(sandbox!, path!, ct);
                var text = Utf8OrNull(bytes);
                var read = text is null ? new FileRead(path!, bytes.Length, "base64", Convert.ToBase64String(bytes)) : new FileRead(path!, bytes.Length, "utf-8", text);
                var json = Json(read, SandboxToolJson.Readable.FileRead);
                return FitsAnswer(json) ? json : throw new SandboxToolException(
                    $"path: {path} ({SandboxToolLimits.Describe(bytes.Length)}) is mostly control characters, which JSON escaping makes larger than the " +
                    $"{SandboxToolLimits.Describe(SandboxToolLimits.MaxAnswerBytes)} an answer may be; read a part with run_command, e.g. [\"head\", \"-c\", \"100000\", \"{path}\"], or as hex with [\"od\", \"-An\", \"-tx1\", \"{path}\"]");
            }),

        Tool(WriteFile, "Write a file in a sandbox",
            "Create or replace a file inside a sandbox with the given content, making missing parent directories. The file is written as the " +
            $"sandbox's user; content is at most {SandboxToolLimits.Describe(SandboxToolLimits.MaxWriteBytes)}. Files written under the project directory " +
            "appear on the host; anywhere else they live only in the sandbox.",
            """
            {"type":"object","properties":{
              "sandbox":{"type":"string","description":"The sandbox's name, from create_sandbox or list_sandboxes."},
              "path":{"type":"string","description":"Absolute path of the file inside the sandbox, e.g. /tmp/input.json."},
              "content":{"type":"string","description":"The whole new content of the file."},
              "encoding":{"type":"string","enum":["utf-8","base64"],"description":"How content holds the bytes: utf-8 text (default) or base64 for binary files."}
            },"required":["sandbox","path","content"],"additionalProperties":false}
            """,
            annotations: new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = true, IdempotentHint = true, OpenWorldHint = false },
            ["sandbox", "path", "content", "encoding"],
            async (args, ct) =>
            {
                var sandbox = args.String("sandbox", required: true);
                var path = args.Path("path", required: true);
                var content = args.String("content", required: true);
                var encoding = args.Choice("encoding", Encodings) ?? "utf-8";
                var bytes = content is null ? null : Decode(args, content, encoding);
                if (bytes is { Length: > SandboxToolLimits.MaxWriteBytes })
                {
                    args.Problem($"content: {SandboxToolLimits.Describe(bytes.Length)}, more than the {SandboxToolLimits.Describe(SandboxToolLimits.MaxWriteBytes)} write_file takes; write it in parts (e.g. several files joined with run_command [\"sh\", \"-c\", \"cat part.* > whole\"])");
                }

                args.ThrowIfAny();
                await tools.WriteFileAsync(sandbox!, path!, bytes!, ct);
                return Json(new FileWritten(path!, bytes!.Length), SandboxToolJson.Readable.FileWritten);
            }),

        Tool(ListFiles, "List files in a sandbox",
            $"List a directory inside a sandbox: each entry's name, absolute path, type (file, directory, symlink, other) and size in bytes, by name, at most {SandboxToolLimits.MaxListEntries} " +
            "(truncated says when there were more). A path that is a file lists just that file. Not recursive: use run_command with find for a tree.",
            """
            {"type":"object","properties":{
              "sandbox":{"type":"string","description":"The sandbox's name, from create_sandbox or list_sandboxes."},
              "path":{"type":"string","description":"Absolute path of the directory inside the sandbox, e.g. the project's path or /tmp."}
            },"required":["sandbox","path"],"additionalProperties":false}
            """,
            annotations: new ToolAnnotations { ReadOnlyHint = true, OpenWorldHint = false },
            ["sandbox", "path"],
            async (args, ct) =>
            {
                var sandbox = args.String("sandbox", required: true);
                var path = args.Path("path", required: true);
                args.ThrowIfAny();
                return Json(await tools.ListFilesAsync(sandbox!, path!, ct), SandboxToolJson.Readable.SandboxFileListing);
            }),

        Tool(DeleteSandbox, "Delete a sandbox",
            "Stop and remove a sandbox this MCP server created, with everything in it outside the project directory (the project's files stay on the host). " +
            "Its name then no longer works with the other tools. notices lists what the sandbox left in the project that would make tools on the host " +
            "run commands (e.g. git hooks): tell the user about each.",
            """
            {"type":"object","properties":{
              "sandbox":{"type":"string","description":"The sandbox's name, from create_sandbox or list_sandboxes."}
            },"required":["sandbox"],"additionalProperties":false}
            """,
            annotations: new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = true, IdempotentHint = false, OpenWorldHint = false },
            ["sandbox"],
            async (args, ct) =>
            {
                var sandbox = args.String("sandbox", required: true);
                args.ThrowIfAny();
                var notices = await tools.DeleteAsync(sandbox!, ct);
                return Json(new SandboxDeleted(sandbox!, Deleted: true, notices), SandboxToolJson.Readable.SandboxDeleted);
            }),
    ];

    private static SandboxTool Tool(
        string name, string title, string description, string schema, ToolAnnotations annotations, IReadOnlyCollection<string> arguments,
        Func<ToolArguments, CancellationToken, Task<string>> handler)
    {
        annotations.Title = title;
        var tool = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = JsonDocument.Parse(schema).RootElement.Clone(),
            Annotations = annotations,
        };
        return new SandboxTool(tool, arguments, handler);
    }

    private static string Json<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    private static bool FitsAnswer(string json) => Encoding.UTF8.GetByteCount(json) <= SandboxToolLimits.MaxAnswerBytes;

    /// <summary>
    /// The outcome as JSON, its output cut further (the longer stream by half, again and again) while escaping makes it
    /// larger than an answer may be: output full of control characters takes up to six times its size.
    /// </summary>
    private static string Answer(CommandOutcome outcome)
    {
        var json = Json(outcome, SandboxToolJson.Readable.CommandOutcome);
        while (!FitsAnswer(json))
        {
            outcome = outcome.Stdout.Length >= outcome.Stderr.Length
                ? outcome with { Stdout = outcome.Stdout[..(outcome.Stdout.Length / 2)], StdoutTruncated = true }
                : outcome with { Stderr = outcome.Stderr[..(outcome.Stderr.Length / 2)], StderrTruncated = true };
            json = Json(outcome, SandboxToolJson.Readable.CommandOutcome);
        }

        return json;
    }

    private static byte[]? Decode(ToolArguments args, string content, string encoding)
    {
        if (encoding == "utf-8")
        {
            return Encoding.UTF8.GetBytes(content);
        }

        try
        {
            return Convert.FromBase64String(content);
        }
        catch (FormatException)
        {
            args.Problem("content: not valid base64 (encoding is base64); send the bytes base64-encoded, or text with encoding utf-8");
            return null;
        }
    }

    private static string? Utf8OrNull(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
