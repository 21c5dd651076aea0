using System.Security.Cryptography;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 13: a secret never enters the sandbox. A FAKE HTTPS model provider (a test root's certificate, trusted by the
/// airlock process through SSL_CERT_FILE as a real provider's would be through the system store) gets the real key;
/// inside, every process's environment, every readable file and the namespace home afterwards hold only the placeholder.
/// </summary>
public sealed class SecretsTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task The_provider_gets_the_real_key_and_the_sandbox_only_ever_holds_the_placeholder(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        var realKey = "sk-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        using var root = new TestCertificateAuthority();
        var address = AddressServer.HostAddress().ToString();
        using var provider = new FakeHttpsProvider(AddressServer.HostAddress(), root.Issue(address));
        using var unbound = new FakeHttpsProvider(AddressServer.HostAddress(), root.Issue(address));
        ws.Env["SSL_CERT_FILE"] = root.WriteBundle(Path.Combine(ws.Root, "roots.pem"));
        ws.Env["OPENAI_API_KEY"] = realKey;
        var url = $"https://{address}:{provider.Port}/v1";
        var auth = "-H \"Authorization: Bearer $OPENAI_API_KEY\"";
        var script = string.Join("; ",
            $"echo provider=$(curl -sS {auth} {url}/models)",
            // The unbound server is another host as far as the secret goes: its tunnel is not touched (and its certificate,
            // of the test's root, is not one the sandbox trusts: -k).
            $"echo unbound=$(curl -k -sS -o /dev/null -w '%{{http_code}}' {auth} https://{address}:{unbound.Port}/v1/models)",
            $"echo plain=$(curl -sS -o /dev/null -w '%{{http_code}}' \"http://{address}:{unbound.Port}/?key=$OPENAI_API_KEY\")",
            "echo placeholder=$OPENAI_API_KEY",
            $"for f in /proc/[0-9]*/environ; do grep -qa -- '{realKey}' \"$f\" && echo found-in=$f; done",
            $"grep -rlsa --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev -- '{realKey}' / | sed 's/^/found-in=/'",
            "echo done");

        var result = (await ws.AirlockAsync(ns.Name, "--network", "allowlist", "--allow", $"{address}:{provider.Port}", "--allow", $"{address}:{unbound.Port}",
            "-e", $"OPENAI_BASE_URL={url}", "--secret", "OPENAI_API_KEY", "bash", "-c", script)).ShouldSucceed();

        var lines = Engines.Lines(result.Stdout);
        lines.ShouldContain($"provider={FakeHttpsProvider.Answer}", result.ToString());
        provider.Requests.ShouldHaveSingleItem().Header("authorization").ShouldBe("Bearer " + realKey);
        var placeholder = lines.Single(l => l.StartsWith("placeholder=", StringComparison.Ordinal))["placeholder=".Length..];
        placeholder.ShouldStartWith("airlock-placeholder-openaiapikey-");
        lines.ShouldContain("unbound=200", result.ToString());
        unbound.Requests.ShouldHaveSingleItem().Header("authorization").ShouldBe("Bearer " + placeholder);
        lines.ShouldContain("plain=403", result.ToString());
        lines.ShouldNotContain(l => l.StartsWith("found-in=", StringComparison.Ordinal), result.ToString());
        lines.ShouldContain("done");
        result.Stdout.ShouldNotContain(realKey);
        result.Stderr.ShouldNotContain(realKey);
        // Nothing the session left on the host side of Airlock (the namespace home, the egress records) holds the value.
        ws.FilesHolding(realKey).ShouldBeEmpty();
        var records = string.Join("\n", Directory.EnumerateFiles(Path.Combine(ws.AirlockHome, "state", "egress"), "*.jsonl", SearchOption.AllDirectories).Select(File.ReadAllText));
        records.ShouldContain("secret-misdirected");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_provider_whose_certificate_does_not_verify_is_never_sent_the_key(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        using var root = new TestCertificateAuthority();
        var address = AddressServer.HostAddress().ToString();
        // The airlock process does not trust this root: the host's trust store decides, not the sandbox's.
        using var impostor = new FakeHttpsProvider(AddressServer.HostAddress(), root.Issue(address));
        ws.Env["OPENAI_API_KEY"] = "sk-never-sent";
        var url = $"https://{address}:{impostor.Port}/v1";

        var result = await ws.AirlockAsync(ns.Name, "--network", "allowlist", "--allow", $"{address}:{impostor.Port}", "-e", $"OPENAI_BASE_URL={url}",
            "--secret", "OPENAI_API_KEY", "bash", "-c", $"curl -sS -w '\\nstatus=%{{http_code}}' -H \"Authorization: Bearer $OPENAI_API_KEY\" {url}/models");

        result.Stdout.ShouldContain("status=502", Case.Sensitive, result.ToString());
        result.Stdout.ShouldContain("certificate did not verify", Case.Sensitive, result.ToString());
        impostor.Requests.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_secret_in_an_open_network_is_refused_before_anything_is_made(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Sharing(ns);
        ws.Env["OPENAI_API_KEY"] = "sk-not-used";

        var result = await ws.AirlockAsync(ns.Name, "--network", "open", "--secret", "OPENAI_API_KEY", "true");

        result.ShouldBeUserError("--secret OPENAI_API_KEY: secrets need the allowlist network");
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_secret_from_the_namespace_config_goes_from_a_file_into_its_own_header_for_its_own_host(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var value = "internal-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var keyFile = Path.Combine(ws.Root, "internal.key");
        await File.WriteAllTextAsync(keyFile, value + "\n", TestContext.Current.CancellationToken);
        using var root = new TestCertificateAuthority();
        var address = AddressServer.HostAddress().ToString();
        using var service = new FakeHttpsProvider(AddressServer.HostAddress(), root.Issue(address));
        ws.Env["SSL_CERT_FILE"] = root.WriteBundle(Path.Combine(ws.Root, "roots.pem"));
        var name = ws.BorrowNamespace(ns, $$"""
            network:
              mode: allowlist
              allow: ["{{address}}:{{service.Port}}"]
            secrets:
              INTERNAL_TOKEN:
                from: file:{{keyFile}}
                hosts: ["{{address}}:{{service.Port}}"]
                inject: header:X-Internal-Token
                variable: TOKEN
            """);

        var result = (await ws.AirlockAsync(name, "bash", "-c",
            $"curl -sS -H \"X-Internal-Token: $TOKEN\" https://{address}:{service.Port}/v1/things; echo; echo token=$TOKEN")).ShouldSucceed();

        result.Stdout.ShouldContain(FakeHttpsProvider.Answer, Case.Sensitive, result.ToString());
        service.Requests.ShouldHaveSingleItem().Header("x-internal-token").ShouldBe(value);
        result.Stdout.ShouldContain("token=airlock-placeholder-internaltoken-", Case.Sensitive, result.ToString());
        result.Stdout.ShouldNotContain(value);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Git_pushes_over_https_with_a_token_secret_that_the_sandbox_never_sees(string engine)
    {
        var ns = await shared.GetAsync(engine);
        await using var ws = Workspace.Create(engine);
        var token = "ghp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var root = new TestCertificateAuthority();
        var address = AddressServer.HostAddress();
        await using var git = await GitPushServer.StartAsync(address, root.Issue(address.ToString()), token);
        ws.Env["SSL_CERT_FILE"] = root.WriteBundle(Path.Combine(ws.Root, "roots.pem"));
        ws.Env["GIT_TOKEN"] = token;
        var name = ws.BorrowNamespace(ns, $$"""
            network:
              mode: allowlist
              allow: ["{{git.Destination}}"]
            secrets:
              GIT_TOKEN:
                hosts: ["{{git.Destination}}"]
                inject: basic
            """);
        var script = string.Join(" && ",
            "git init -q -b main work", "cd work", "echo pushed > file", "git add file",
            "git -c user.name=t -c user.email=t@example.invalid commit -q -m 'pushed through the policy point'",
            $"git push -q {git.Url} main", "echo token=$GIT_TOKEN");

        var result = (await ws.AirlockAsync(name, "bash", "-c", script)).ShouldSucceed();

        git.Head().ShouldBe("pushed through the policy point", result.ToString());
        git.Passwords.ShouldContain(token);
        git.Passwords.ShouldAllBe(p => p == token || p.Length == 0, "git only ever sent the placeholder, which the policy point replaced");
        result.Stdout.ShouldContain("token=airlock-placeholder-gittoken-", Case.Sensitive, result.ToString());
        result.Stdout.ShouldNotContain(token);
    }
}
