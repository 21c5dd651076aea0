using System.Net;
using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// A git template is a stranger's repository, and its <c>defaults.network</c> used to be written into the config of the
/// namespace made from it: <c>allow: ["0.0.0.0/1", "128.0.0.0/1"]</c> (every IPv4 address, loopback and the LAN
/// included) let the sandbox reach whatever the host reaches. Now such a namespace gets <c>allowlist</c> with nothing
/// listed, and the person is told what was asked and how to grant it.
/// </summary>
public sealed class TemplateNetworkTests(SharedNamespaces shared)
{
    /// <summary>A plain HTTP GET through the proxy variables the sandbox is given (no curl in the base image: bash's /dev/tcp).</summary>
    private static string Get(int port) =>
        $"exec 3<>/dev/tcp/127.0.0.1/3128 && printf 'GET http://127.0.0.1:{port}/ HTTP/1.1\\r\\nHost: 127.0.0.1:{port}\\r\\n\\r\\n' >&3 && cat <&3";

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_namespace_from_a_git_template_asking_for_every_address_cannot_reach_a_host_server_until_the_user_grants_it(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        // On the host's loopback: the proxy reaches it only for a rule naming its address (or a range holding it).
        using var server = new TinyHttpServer(IPAddress.Loopback, "exfiltrated-body");
        var url = await RepoAsync(ws, "defaults:\n  network:\n    mode: allowlist\n    allow: [\"0.0.0.0/1\", \"128.0.0.0/1\"]\n");
        var ns = ws.NewNamespaceName();

        var dry = (await ws.AirlockAsync(ns, "--create", url, "--dry-run", "true")).ShouldSucceed();
        var created = (await ws.RunAsync(["create", "namespace", ns, url], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();
        var refused = (await ws.AirlockAsync(ns, "bash", "-c", Get(server.Port))).ShouldSucceed();
        var requestsWhileRefused = server.Requests;
        // The grant the warning names for one launch, as the person would paste it.
        const string prefix = "or for one launch: airlock ";
        var oneLaunch = Engines.Lines(created.Stderr).SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        var granted = oneLaunch is null ? null : (await ws.AirlockAsync([.. oneLaunch.Split(' '), "bash", "-c", Get(server.Port)])).ShouldSucceed();

        // The breach: the sandbox reached the host's server through the range the template listed.
        refused.Stdout.ShouldNotContain("exfiltrated-body", Case.Sensitive, "the template's network reached the namespace: " + refused);
        refused.Stdout.ShouldContain("403 Forbidden", Case.Sensitive, refused.ToString());
        requestsWhileRefused.ShouldBe(0);
        var config = ws.ReadConfig();
        config.ShouldContain("network: allowlist", Case.Sensitive, config);
        config.ShouldNotContain("0.0.0.0/1", Case.Sensitive, config);
        config.ShouldNotContain("allow:", Case.Sensitive, "nothing listed: " + config);

        // What the person is told, on stderr and in --dry-run's JSON.
        foreach (var told in new[] { dry, created })
        {
            told.Stderr.ShouldContain($"warning: a template from git cannot widen a namespace's network: namespace '{ns}' gets allowlist with nothing listed", Case.Sensitive, told.ToString());
            told.Stderr.ShouldContain("- \"0.0.0.0/1\"", Case.Sensitive, "the config lines that grant it: " + told);
        }

        var json = JsonNode.Parse(dry.Stdout)!;
        json["templateNetworkWithheld"]?["allow"]?.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["0.0.0.0/1", "128.0.0.0/1"], dry.Stdout);
        json["templateNetworkWithheld"].ShouldNotBeNull(dry.Stdout);
        json["spec"]!["network"]!["mode"]!.GetValue<string>().ShouldBe("allowlist", dry.Stdout);
        (json["spec"]!["network"]!["allow"]?.AsArray().Count ?? 0).ShouldBe(0, dry.Stdout);
        json["warnings"]!.AsArray().ShouldContain(w => w!.GetValue<string>().Contains("a template from git cannot widen", StringComparison.Ordinal), dry.Stdout);

        // And the grant it names works: what the template asked for does reach the server once the user gives it.
        oneLaunch.ShouldBe($"{ns} --allow 0.0.0.0/1 --allow 128.0.0.0/1", created.ToString());
        granted!.Stdout.ShouldContain("exfiltrated-body", Case.Sensitive, granted.ToString());
    }

    /// <summary>A git repository holding the base template (marked) with <paramref name="templateYaml"/>, as a file:// URL.</summary>
    private static async Task<string> RepoAsync(Workspace ws, string templateYaml)
    {
        var repo = Directory.CreateDirectory(Path.Combine(ws.Root, "template-repo")).FullName;
        await Templates.GitAsync(repo, "init", "--quiet");
        Templates.WriteMarked(repo, "template-net", templateYaml);
        await Templates.GitAsync(repo, "add", "--all");
        await Templates.GitAsync(repo, "commit", "--quiet", "-m", "a template asking for every address");
        return $"file://{repo}";
    }
}
