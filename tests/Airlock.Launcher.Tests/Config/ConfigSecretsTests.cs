using Airlock.Launcher.Config;
using Airlock.Launcher.Launch;
using Airlock.Launcher.Tests.Launch;
using Airlock.Sandboxes.Specs;
using static Airlock.Launcher.Tests.Config.ConfigAssert;

namespace Airlock.Launcher.Tests.Config;

/// <summary>Issue 13, item 3: a namespace's <c>secrets:</c>, read with every error's path, written back, and planned.</summary>
public sealed class ConfigSecretsTests : IDisposable
{
    private const string Yaml = """
            network: allowlist
            secrets:
              INTERNAL_TOKEN:
                from: command:pass show internal
                hosts: [api.internal.example, "*.svc.example:8443"]
                inject: header:X-Internal-Token
                variable: TOKEN
              OPENAI_API_KEY:
                from: file:~/.config/openai.key

        """;

    private readonly LaunchPlannerFixture _host = new();

    [Fact]
    public void Secrets_are_read_as_written()
    {
        var ns = Namespace(Yaml);

        ns.Secrets["INTERNAL_TOKEN"].ShouldBe(new SecretConfig("command:pass show internal", ["api.internal.example", "*.svc.example:8443"], "header:X-Internal-Token", "TOKEN"), new SecretConfigComparer());
        ns.Secrets["OPENAI_API_KEY"].From.ShouldBe("file:~/.config/openai.key");
    }

    [Fact]
    public void Every_bad_part_of_a_secret_is_reported_with_its_path()
    {
        var errors = ErrorsOf("""
            namespaces:
              work:
                image: localhost/airlock:work
                buildDir: ~/.airlock/containers/work/
                secrets:
                  1BAD: { hosts: [a.example] }
                  MY_TOKEN:
                    from: vault:x
                    hosts: [bad host]
                    inject: cookie
                    colour: red
                  NO_HOSTS: { from: env:X }
            """);

        errors.Select(e => e.Path).ShouldBe(
        [
            "namespaces.work.secrets.1BAD", "namespaces.work.secrets.MY_TOKEN.from", "namespaces.work.secrets.MY_TOKEN.hosts[0]",
            "namespaces.work.secrets.MY_TOKEN.inject", "namespaces.work.secrets.MY_TOKEN.colour", "namespaces.work.secrets.NO_HOSTS.hosts",
        ], ignoreOrder: true);
        errors.Single(e => e.Path.EndsWith(".from", StringComparison.Ordinal)).Message.ShouldContain("env:VAR, file:PATH, or command:CMD");
    }

    [Fact]
    public void Secrets_survive_a_write_and_a_read()
    {
        var config = ConfigLoader.Parse($"namespaces:\n  work:\n    image: localhost/airlock:work\n    buildDir: ~/.airlock/containers/work/\n{Yaml}");
        var file = Path.Combine(_host.Home, "config.yaml");

        ConfigWriter.Save(config, file);

        ConfigLoader.Load(file).Namespaces["work"].Secrets.Keys.ShouldBe(["INTERNAL_TOKEN", "OPENAI_API_KEY"], ignoreOrder: true);
        ConfigLoader.Load(file).Namespaces["work"].Secrets["INTERNAL_TOKEN"].Hosts.ShouldBe(["api.internal.example", "*.svc.example:8443"]);
    }

    [Fact]
    public void A_configured_secret_is_planned_with_its_own_hosts_header_variable_and_source_and_a_flag_can_change_the_source()
    {
        var plan = _host.Plan(Namespace(Yaml), _host.Request with { Secrets = ["OPENAI_API_KEY=env:WORK_OPENAI_KEY"] });

        var token = plan.Secrets.Single(s => s.Name == "INTERNAL_TOKEN");
        token.Variable.ShouldBe("TOKEN");
        plan.Spec.Environment["TOKEN"].ShouldBe(token.Placeholder);
        token.Hosts.Select(h => h.ToString()).ShouldBe(["api.internal.example", "*.svc.example:8443"]);
        token.Injection.ToString().ShouldBe("header:X-Internal-Token");
        token.Source.ToString().ShouldBe("command:pass show internal");
        var openai = plan.Secrets.Single(s => s.Name == "OPENAI_API_KEY");
        openai.Source.ToString().ShouldBe("env:WORK_OPENAI_KEY");
        openai.Injection.ToString().ShouldBe("bearer");
    }

    [Fact]
    public void Configured_secrets_in_an_open_launch_are_left_out_with_a_warning()
    {
        var plan = _host.Plan(Namespace(Yaml), _host.Request with { Network = NetworkModes.Open });

        plan.Secrets.ShouldBeEmpty();
        plan.Spec.Environment.Keys.ShouldNotContain("TOKEN");
        plan.Warnings.ShouldContain(w => w.StartsWith("namespaces.work.secrets.INTERNAL_TOKEN: $TOKEN is not given to the sandbox", StringComparison.Ordinal));
    }

    public void Dispose() => _host.Dispose();

    private sealed class SecretConfigComparer : IEqualityComparer<SecretConfig>
    {
        public bool Equals(SecretConfig? x, SecretConfig? y) =>
            x is not null && y is not null && x.From == y.From && x.Inject == y.Inject && x.Variable == y.Variable && x.Hosts.SequenceEqual(y.Hosts);

        public int GetHashCode(SecretConfig obj) => obj.From?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
