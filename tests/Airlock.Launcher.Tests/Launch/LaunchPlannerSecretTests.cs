using Airlock.Launcher.Launch;
using Airlock.Sandboxes.Specs;

namespace Airlock.Launcher.Tests.Launch;

/// <summary>Issue 13, item 3: a secret is a placeholder in the plan; its value is not read, printed or planned with.</summary>
public sealed class LaunchPlannerSecretTests : IDisposable
{
    private const string Real = "sk-real-value-never-planned";
    private readonly LaunchPlannerFixture _host = new();

    private static string? HostEnv(string name) => name == "OPENAI_API_KEY" ? Real : null;

    private LaunchRequest Allowlist => _host.Request with { Network = NetworkModes.Allowlist };

    [Fact]
    public void A_secret_puts_a_placeholder_in_the_env_and_binds_the_provider_and_the_base_url_host()
    {
        var plan = _host.Plan(request: Allowlist with { Secrets = ["OPENAI_API_KEY"], Env = ["OPENAI_BASE_URL=https://models.internal.example:8443/v1"] }, hostEnv: HostEnv);

        var secret = plan.Secrets.ShouldHaveSingleItem();
        plan.Spec.Environment["OPENAI_API_KEY"].ShouldBe(secret.Placeholder);
        secret.Hosts.Select(h => h.ToString()).ShouldBe(["api.openai.com", "models.internal.example:8443"]);
        secret.Source.ToString().ShouldBe("env:OPENAI_API_KEY");
        secret.Describe().ShouldNotContain(Real);
        plan.ToString().ShouldNotContain(Real);
    }

    [Fact]
    public void Every_bad_secret_flag_is_named_with_its_fix()
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(
            request: Allowlist with { Secrets = ["MY_TOKEN", "OPENAI_API_KEY=vault:openai"], Env = [] },
            hostEnv: HostEnv));

        ex.Message.ShouldContain("--secret MY_TOKEN: Airlock does not know which hosts MY_TOKEN may go to; describe it under secrets:");
        ex.Message.ShouldContain("--secret OPENAI_API_KEY=vault:openai: 'vault:openai' is not a secret source; use env:VAR, file:PATH, or command:CMD");
    }

    [Fact]
    public void A_secret_and_a_plain_variable_of_the_same_name_are_refused()
    {
        var ex = Should.Throw<LauncherException>(() => _host.Plan(request: Allowlist with { Secrets = ["OPENAI_API_KEY"], Env = ["OPENAI_API_KEY"] }, hostEnv: HostEnv));

        ex.Message.ShouldContain("OPENAI_API_KEY is also given as a plain variable");
    }

    [Fact]
    public void An_agents_key_outside_allowlist_is_left_out_with_a_warning_and_never_passed_plain()
    {
        var plan = _host.Plan(request: _host.Request with { Network = NetworkModes.Open, AgentSecrets = ["OPENAI_API_KEY"] }, hostEnv: HostEnv);

        plan.Secrets.ShouldBeEmpty();
        plan.Spec.Environment.Keys.ShouldNotContain("OPENAI_API_KEY");
        plan.Warnings.ShouldContain(w => w.Contains("$OPENAI_API_KEY is not given to the sandbox", StringComparison.Ordinal) && w.Contains("-e OPENAI_API_KEY", StringComparison.Ordinal));
    }

    public void Dispose() => _host.Dispose();
}
