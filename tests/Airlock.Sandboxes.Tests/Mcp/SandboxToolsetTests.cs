using System.Text;
using System.Text.Json;
using Airlock.Sandboxes.Mcp;
using ModelContextProtocol.Protocol;

namespace Airlock.Sandboxes.Tests.Mcp;

/// <summary>The MCP sandbox tools' argument checks and answers, apart from any sandbox: what is refused reaches nothing.</summary>
public sealed class SandboxToolsetTests
{
    private readonly FakeSandboxTools _tools = new();

    private async Task<CallToolResult> CallAsync(string tool, string arguments)
    {
        var raw = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments)!;
        return await SandboxToolset.For(_tools, "work").Single(t => t.ProtocolTool.Name == tool).CallAsync(raw, CancellationToken.None);
    }

    private static string Text(CallToolResult result) => ((TextContentBlock)result.Content.Single()).Text;

    private static string ErrorOf(CallToolResult result)
    {
        result.IsError.ShouldBe(true, Text(result));
        return Text(result);
    }

    [Fact]
    public async Task A_relative_path_is_refused_before_reaching_the_sandbox()
    {
        var error = ErrorOf(await CallAsync("read_file", """{"sandbox":"s","path":"src/main.c"}"""));

        error.ShouldContain("path: 'src/main.c' is relative; give an absolute path inside the sandbox");
        _tools.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("write_file", """{"sandbox":"s","content":"x"}""", "path: required")]
    [InlineData("list_files", """{"sandbox":"s","path":""}""", "path: required")]
    [InlineData("read_file", """{"sandbox":"s","path":"/tmp/a\u0000b"}""", "path: contains a NUL character")]
    [InlineData("run_command", """{"sandbox":"s","command":["ls"],"workingDirectory":"tmp"}""", "workingDirectory: 'tmp' is relative")]
    public async Task Bad_paths_are_refused_naming_the_argument(string tool, string arguments, string expected)
    {
        ErrorOf(await CallAsync(tool, arguments)).ShouldContain(expected);
        _tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_oversize_write_is_refused_with_the_limit_and_a_way_round_it()
    {
        var content = Convert.ToBase64String(new byte[SandboxToolLimits.MaxWriteBytes + 1]);

        var error = ErrorOf(await CallAsync("write_file", $$"""{"sandbox":"s","path":"/tmp/big","content":"{{content}}","encoding":"base64"}"""));

        error.ShouldContain("content: 10485761 bytes, more than the 10 MiB write_file takes");
        error.ShouldContain("write it in parts");
        _tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_write_of_exactly_the_limit_goes_through_with_its_bytes()
    {
        var content = Convert.ToBase64String(new byte[SandboxToolLimits.MaxWriteBytes]);

        var result = await CallAsync("write_file", $$"""{"sandbox":"s","path":"/tmp/big","content":"{{content}}","encoding":"base64"}""");

        result.IsError.ShouldNotBe(true, Text(result));
        _tools.LastWrite.Length.ShouldBe(SandboxToolLimits.MaxWriteBytes);
    }

    [Fact]
    public async Task Bad_base64_is_refused()
    {
        ErrorOf(await CallAsync("write_file", """{"sandbox":"s","path":"/tmp/x","content":"not base64!","encoding":"base64"}""")).ShouldContain("content: not valid base64");
    }

    [Fact]
    public async Task Every_problem_of_a_call_is_reported_at_once()
    {
        var error = ErrorOf(await CallAsync("run_command", """{"command":[],"timeoutSeconds":0,"stdin":5,"verbose":true}"""));

        error.ShouldStartWith("run_command has 5 problems:");
        error.ShouldContain("sandbox: required");
        error.ShouldContain("command: empty; give at least the program");
        error.ShouldContain("timeoutSeconds: 0 is out of range; give a whole number from 1 to 3600");
        error.ShouldContain("stdin: a number where a string belongs");
        error.ShouldContain("verbose: run_command takes no such argument; it takes sandbox, command, workingDirectory, stdin, timeoutSeconds");
        _tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_command_given_as_one_string_is_refused_with_the_argv_form()
    {
        ErrorOf(await CallAsync("run_command", """{"sandbox":"s","command":"ls -la"}""")).ShouldContain("command: a string where an array of strings belongs, e.g. [\"ls\", \"-la\"]");
    }

    [Fact]
    public async Task A_command_reaches_the_sandbox_as_argv_with_its_defaults()
    {
        var result = await CallAsync("run_command", """{"sandbox":"s","command":["sh","-c","echo $HOME; rm -rf \"x y\""]}""");

        result.IsError.ShouldNotBe(true, Text(result));
        _tools.LastCommand!.Command.ShouldBe(["sh", "-c", "echo $HOME; rm -rf \"x y\""]);
        _tools.LastCommand.Timeout.ShouldBe(TimeSpan.FromSeconds(SandboxToolLimits.DefaultTimeoutSeconds));
        _tools.LastCommand.WorkingDirectory.ShouldBeNull();
        _tools.LastCommand.Stdin.ShouldBeNull();
    }

    [Fact]
    public async Task An_unknown_network_mode_is_refused_listing_the_modes()
    {
        ErrorOf(await CallAsync("create_sandbox", """{"network":"wide"}""")).ShouldContain("network: 'wide' is not one of open, allowlist, none");
    }

    [Fact]
    public async Task The_implementations_refusal_comes_back_as_the_tools_error()
    {
        _tools.Throw = new SandboxToolException("sandbox: 'x' is a person's own airlock session, not one this airlock mcp made: refused");

        var error = ErrorOf(await CallAsync("run_command", """{"sandbox":"x","command":["true"]}"""));

        error.ShouldBe("sandbox: 'x' is a person's own airlock session, not one this airlock mcp made: refused");
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_comes_back_as_base64()
    {
        _tools.FileContent = [0xff, 0x00, 0x80];

        var read = JsonDocument.Parse(Text(await CallAsync("read_file", """{"sandbox":"s","path":"/bin/x"}"""))).RootElement;

        read.GetProperty("encoding").GetString().ShouldBe("base64");
        Convert.FromBase64String(read.GetProperty("content").GetString()!).ShouldBe(_tools.FileContent);
    }

    [Fact]
    public async Task Utf8_text_comes_back_as_itself_unescaped()
    {
        _tools.FileContent = Encoding.UTF8.GetBytes("<b>héllo</b> \"q\"");

        var text = Text(await CallAsync("read_file", """{"sandbox":"s","path":"/tmp/x.html"}"""));

        text.ShouldContain("\"content\":\"<b>héllo</b> \\\"q\\\"\"");
    }

    [Fact]
    public async Task Output_that_escaping_would_blow_up_is_cut_to_fit_an_answer()
    {
        // A megabyte of control characters on each stream: six bytes each once escaped, 12 MiB in all.
        var noise = new string('\u0001', SandboxToolLimits.MaxOutputBytes);
        _tools.Outcome = new CommandOutcome(0, noise, noise, false, false, false, noise.Length, noise.Length);

        var text = Text(await CallAsync("run_command", """{"sandbox":"s","command":["cat","/dev/urandom"]}"""));

        Encoding.UTF8.GetByteCount(text).ShouldBeLessThanOrEqualTo(SandboxToolLimits.MaxAnswerBytes);
        var outcome = JsonDocument.Parse(text).RootElement;
        outcome.GetProperty("stdoutTruncated").GetBoolean().ShouldBeTrue();
        outcome.GetProperty("stdoutBytes").GetInt64().ShouldBe(noise.Length);
    }

    [Fact]
    public async Task Each_tools_schema_names_exactly_the_arguments_it_reads()
    {
        foreach (var tool in SandboxToolset.For(_tools, "work"))
        {
            var schema = tool.ProtocolTool.InputSchema;
            schema.GetProperty("type").GetString().ShouldBe("object");
            var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                property.Value.GetProperty("description").GetString()!.Length.ShouldBeGreaterThan(10, $"{tool.ProtocolTool.Name}.{property.Name}");
            }

            tool.ProtocolTool.Description!.Length.ShouldBeGreaterThan(80, tool.ProtocolTool.Name);
            // An argument the schema does not offer is refused by name, so the two lists must be the same.
            var unknown = JsonSerializer.Serialize(properties.ToDictionary(p => p, _ => (object?)null));
            var error = Text(await tool.CallAsync(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(unknown), CancellationToken.None));
            error.ShouldNotContain("takes no such argument", customMessage: tool.ProtocolTool.Name);
        }
    }
}
