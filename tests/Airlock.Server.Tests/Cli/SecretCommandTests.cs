using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Cli;

/// <summary>
/// The real <c>airlock secret</c> commands and <c>sandbox create --secret</c> against the real <c>airlock serve</c>
/// (Docker): a value goes in from a variable, a file or stdin, never a flag, and comes out in no output; tables, --json,
/// exit codes and the server's messages as a person or a script sees them.
/// </summary>
public sealed class SecretCommandTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private ServeProcess Server => fixture.Server;

    private static string NewValue(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [Fact(Timeout = 180_000)]
    public async Task Set_from_a_variable_a_file_and_stdin_then_list_and_delete_never_print_a_value()
    {
        var (tenant, op, _) = await Server.NewTenantWithKeysAsync("sec");
        var admin = (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "key", "create", "--tenant", tenant, "--name", "adm", "--role", "admin"))).Trim();
        var fromEnv = NewValue("sk-env-");
        var fromFile = NewValue("tok-file-");
        var fromStdin = NewValue("key-stdin-");
        var file = Path.Combine(Server.Home.FullName, $"value-{tenant}");
        await File.WriteAllTextAsync(file, fromFile + "\n", Ct);
        var outputs = new List<string>();

        async Task<string> Ok(string? token, IReadOnlyDictionary<string, string?> env, string? stdin, params string[] args)
        {
            var (code, stdout, stderr) = await Server.RunAsync(token, env, stdin, args);
            outputs.Add(stdout + stderr);
            code.ShouldBe(0, $"stderr: {stderr}\nstdout: {stdout}");
            return stdout;
        }

        var none = new Dictionary<string, string?>();
        var set = await Ok(admin, new Dictionary<string, string?> { ["MY_KEY"] = fromEnv }, null, "secret", "set", "OPENAI_API_KEY", "--host", "api.openai.com", "--value-from-env", "MY_KEY");
        set.ShouldContain($"secret OPENAI_API_KEY of tenant {tenant} created: sandboxes see a placeholder in OPENAI_API_KEY; the value goes to api.openai.com as bearer");
        await Ok(admin, none, null, "secret", "set", "GH_TOKEN", "--host", "github.com,api.github.com", "--inject", "basic", "--value-from-file", file);
        await Ok(admin, none, fromStdin + "\n", "secret", "set", "ANTHROPIC_API_KEY", "--host", "api.anthropic.com", "--inject", "header:x-api-key", "--variable", "CLAUDE_KEY", "--value-from-stdin");
        (await Ok(admin, new Dictionary<string, string?> { ["MY_KEY"] = fromEnv }, null, "secret", "set", "OPENAI_API_KEY", "--host", "api.openai.com", "--value-from-env", "MY_KEY"))
            .ShouldContain("replaced");

        var table = await Ok(admin, none, null, "secret", "list");
        table.ShouldContain("ANTHROPIC_API_KEY");
        table.ShouldContain("CLAUDE_KEY");
        table.ShouldContain("header:x-api-key");
        table.ShouldContain("github.com, api.github.com");
        var json = JsonNode.Parse(await Ok(Server.BootstrapKey, none, null, "secret", "list", "--tenant", tenant, "--json"))!.AsArray();
        json.Select(s => s!["name"]!.GetValue<string>()).ShouldBe(["ANTHROPIC_API_KEY", "GH_TOKEN", "OPENAI_API_KEY"]);
        json.ShouldAllBe(s => s!["value"] == null);

        // A system key sees every tenant (here at least two), so it names one; an operator uses secrets but does not manage them.
        await Server.NewTenantWithKeysAsync("secother");
        var whose = await Server.RunAsync(Server.BootstrapKey, "secret", "list");
        whose.Code.ShouldBe(2);
        whose.Stderr.ShouldContain("add --tenant TENANT");
        var forbidden = await Server.RunAsync(op, "secret", "list");
        forbidden.Code.ShouldBe(2);
        forbidden.Stderr.ShouldContain("(403)");

        (await Ok(admin, none, null, "secret", "delete", "GH_TOKEN", "ANTHROPIC_API_KEY")).ShouldContain("deleted secret ANTHROPIC_API_KEY");
        var missing = await Server.RunAsync(admin, "secret", "delete", "GH_TOKEN");
        missing.Code.ShouldBe(2);
        missing.Stderr.ShouldContain("secret 'GH_TOKEN' does not exist");
        (await Ok(admin, none, null, "secret", "list", "--json")).ShouldContain("OPENAI_API_KEY");

        foreach (var output in outputs)
        {
            output.ShouldNotContain(fromEnv);
            output.ShouldNotContain(fromFile);
            output.ShouldNotContain(fromStdin);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_value_comes_from_exactly_one_source_and_bad_input_is_exit_2_naming_the_field()
    {
        var (tenant, _, _) = await Server.NewTenantWithKeysAsync("secbad");
        var admin = (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "key", "create", "--tenant", tenant, "--name", "adm", "--role", "admin"))).Trim();
        var env = new Dictionary<string, string?> { ["MY_KEY"] = "v" };

        var none = await Server.RunAsync(admin, "secret", "set", "A", "--host", "a.example");
        none.Code.ShouldBe(2);
        none.Stderr.ShouldContain("none of --value-from-env, --value-from-file or --value-from-stdin was given");
        none.Stderr.ShouldContain("there is no flag for the value itself");

        var twice = await Server.RunAsync(admin, env, null, "secret", "set", "A", "--host", "a.example", "--value-from-env", "MY_KEY", "--value-from-stdin");
        twice.Code.ShouldBe(2);
        twice.Stderr.ShouldContain("the value is given more than once");

        var unset = await Server.RunAsync(admin, "secret", "set", "A", "--host", "a.example", "--value-from-env", "NOT_SET_ANYWHERE");
        unset.Code.ShouldBe(2);
        unset.Stderr.ShouldContain("--value-from-env NOT_SET_ANYWHERE: the variable is not set");

        var noHost = await Server.RunAsync(admin, env, null, "secret", "set", "A", "--value-from-env", "MY_KEY");
        noHost.Code.ShouldBe(2);
        noHost.Stderr.ShouldContain("--host");

        var bad = await Server.RunAsync(admin, env, null, "secret", "set", "A", "--host", "https://a.example", "--inject", "cookie", "--value-from-env", "MY_KEY");
        bad.Code.ShouldBe(2);
        bad.Stderr.ShouldContain("secret.hosts[0]");
        bad.Stderr.ShouldContain("secret.inject");

        var open = await Server.RunAsync(admin, "sandbox", "create", "s", "--image", TestEngines.BaseImage, "--network", "open", "--secret", "A", "--", "sleep", "infinity");
        open.Code.ShouldBe(2);
        open.Stderr.ShouldContain("--secret needs --network allowlist");
    }

    [Fact(Timeout = 180_000)]
    public async Task Sandbox_create_with_secret_shows_the_secrets_by_name()
    {
        var (tenant, op, _) = await Server.NewTenantWithKeysAsync("secbox");
        var admin = (await ServeProcess.Ok(Server.RunAsync(Server.BootstrapKey, "key", "create", "--tenant", tenant, "--name", "adm", "--role", "admin"))).Trim();
        var value = NewValue("sk-box-");
        await ServeProcess.Ok(Server.RunAsync(admin, new Dictionary<string, string?> { ["V"] = value }, null, "secret", "set", "OPENAI_API_KEY", "--host", "api.openai.com", "--value-from-env", "V"));

        var unknown = await Server.RunAsync(op, "sandbox", "create", "box", "--image", TestEngines.BaseImage, "--network", "allowlist", "--allow", "api.openai.com",
            "--secret", "NOPE", "--", "sleep", "infinity");
        unknown.Code.ShouldBe(2);
        unknown.Stderr.ShouldContain("sandbox.secrets[0]");

        var created = JsonNode.Parse(await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "create", "box", "--image", TestEngines.BaseImage, "--network", "allowlist",
            "--allow", "api.openai.com", "--secret", "OPENAI_API_KEY", "--json", "--", "sleep", "infinity")))!;
        created["secrets"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["OPENAI_API_KEY"]);
        var shown = await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "get", "box"));
        shown.ShouldContain("secrets:");
        shown.ShouldContain("OPENAI_API_KEY");
        var env = await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "exec", "box", "--", "env"));
        env.ShouldContain("OPENAI_API_KEY=airlock-placeholder-openaiapikey-");
        env.ShouldNotContain(value);
        await ServeProcess.Ok(Server.RunAsync(op, "sandbox", "delete", "box"));
    }

    [Theory(Timeout = 60_000)]
    [InlineData("secret")]
    [InlineData("secret", "set")]
    [InlineData("secret", "list")]
    [InlineData("secret", "delete")]
    public async Task Help_shows_examples(params string[] command)
    {
        var (code, stdout, _) = await Server.RunAsync(null, [.. command, "--help"]);

        code.ShouldBe(0);
        stdout.ShouldContain("Examples:");
        stdout.ShouldContain("airlock secret");
    }
}
