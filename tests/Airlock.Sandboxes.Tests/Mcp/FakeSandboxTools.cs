using Airlock.Sandboxes.Mcp;

namespace Airlock.Sandboxes.Tests.Mcp;

/// <summary>Records what reaches the tools, so a test sees that a refused call reached nothing.</summary>
internal sealed class FakeSandboxTools : ISandboxTools
{
    public List<string> Calls { get; } = [];

    public CommandRequest? LastCommand { get; private set; }

    public ReadOnlyMemory<byte> LastWrite { get; private set; }

    public CommandOutcome Outcome { get; set; } = new(0, "", "", false, false, false, 0, 0);

    public byte[] FileContent { get; set; } = [];

    public Exception? Throw { get; set; }

    public Task<McpSandbox> CreateAsync(SandboxCreateRequest request, CancellationToken ct) =>
        Record($"create {request.Namespace} {request.Network} {request.AllowConcurrent}", new McpSandbox("airlock-work-1", request.Namespace ?? "work", "img", "/p", "open", "container", true));

    public Task<IReadOnlyList<McpSandbox>> ListAsync(CancellationToken ct) => Record<IReadOnlyList<McpSandbox>>("list", []);

    public Task<CommandOutcome> RunAsync(string sandbox, CommandRequest request, CancellationToken ct)
    {
        LastCommand = request;
        return Record($"run {sandbox}", Outcome);
    }

    public Task<byte[]> ReadFileAsync(string sandbox, string path, CancellationToken ct) => Record($"read {sandbox} {path}", FileContent);

    public Task WriteFileAsync(string sandbox, string path, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        LastWrite = content;
        return Record($"write {sandbox} {path}", 0);
    }

    public Task<SandboxFileListing> ListFilesAsync(string sandbox, string path, CancellationToken ct) =>
        Record($"ls {sandbox} {path}", new SandboxFileListing(path, [], false));

    public Task<IReadOnlyList<string>> DeleteAsync(string sandbox, CancellationToken ct) => Record<IReadOnlyList<string>>($"delete {sandbox}", []);

    private Task<T> Record<T>(string call, T value)
    {
        Calls.Add(call);
        return Throw is { } ex ? Task.FromException<T>(ex) : Task.FromResult(value);
    }
}
