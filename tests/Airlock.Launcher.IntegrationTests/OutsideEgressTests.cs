using System.Text.Json.Nodes;
using Airlock.Launcher.IntegrationTests.Infrastructure;

namespace Airlock.Launcher.IntegrationTests;

/// <summary>
/// Issue 12, as a new user meets it: a namespace just created reaches nothing outside until a destination is allowed,
/// says how to allow it when it is refused, and keeps the record. The outside host is a real one this machine reaches,
/// taken from its apt sources.
/// </summary>
public sealed class OutsideEgressTests(SharedNamespaces shared)
{
    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task A_new_namespace_refuses_an_outside_host_until_it_is_allowed_and_the_log_shows_both(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = ws.NewNamespaceName();
        var sources = MachineHosts.AptSources();
        var outside = sources[0];
        var other = sources.Count > 1 ? sources[1].Host : "not-allowed." + outside.Host;
        string[] fetch = ["curl", "-fsS", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}\n", outside.ToString()];

        var refused = await ws.RunAsync([ns, "--create", "base", "--", .. fetch], timeout: TimeSpan.FromMinutes(10));
        var allowed = (await ws.AirlockAsync([ns, "--allow", outside.Host, "--", .. fetch])).ShouldSucceed();
        var stillRefused = await ws.AirlockAsync(ns, "--allow", outside.Host, "--", "curl", "-sS", "--max-time", "60", $"https://{other}/");
        var log = (await ws.AirlockAsync("egress", "log", ns, "--json")).ShouldSucceed();

        refused.ExitCode.ShouldNotBe(0, refused.ToString());
        refused.Stderr.ShouldContain($"refused 1 destination not on the allowlist of namespace {ns}", Case.Sensitive, refused.ToString());
        refused.Stderr.ShouldContain($"--allow {outside.Host}", Case.Sensitive, "the notice says how to allow it: " + refused);
        int.Parse(allowed.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(200, 399, allowed.ToString());
        stillRefused.ExitCode.ShouldNotBe(0, stillRefused.ToString());
        stillRefused.Stderr.ShouldContain(other, Case.Sensitive, stillRefused.ToString());

        var records = Engines.Lines(log.Stdout).Select(l => JsonNode.Parse(l)!).ToList();
        records.ShouldContain(r => r["host"]!.GetValue<string>() == outside.Host && r["verdict"]!.GetValue<string>() == "refused", log.Stdout);
        records.ShouldContain(r => r["host"]!.GetValue<string>() == outside.Host && r["verdict"]!.GetValue<string>() == "allowed" && r["bytesDown"]!.GetValue<long>() > 0, log.Stdout);
        records.ShouldContain(r => r["host"]!.GetValue<string>() == other && r["verdict"]!.GetValue<string>() == "refused", log.Stdout);
    }

    [Theory]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Dry_run_of_a_new_namespace_shows_its_allowlist_and_create_writes_it_to_the_config(string engine)
    {
        await shared.WarmAsync(engine);
        await using var ws = Workspace.Create(engine);
        var ns = ws.NewNamespaceName();

        var dry = (await ws.AirlockAsync(ns, "--create", "default", "--dry-run", "true")).ShouldSucceed();
        var created = (await ws.RunAsync(["create", "namespace", ns, "base"], timeout: TimeSpan.FromMinutes(10))).ShouldSucceed();

        var network = JsonNode.Parse(dry.Stdout)!["spec"]!["network"]!;
        network["mode"]!.GetValue<string>().ShouldBe("allowlist");
        network["allow"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain("github.com", "the default template lists the git hosts: " + dry.Stdout);
        File.ReadAllText(ws.ConfigFile).ShouldContain("network: allowlist", Case.Sensitive, "a namespace from base reaches nothing until asked: " + created);
    }
}
