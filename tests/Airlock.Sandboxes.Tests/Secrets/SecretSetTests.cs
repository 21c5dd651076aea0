using System.Text;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Secrets;

namespace Airlock.Sandboxes.Tests.Secrets;

public sealed class SecretSetTests
{
    private static readonly EgressDestination Git = new("git.example", 443);

    private static SecretBinding Token(SecretInjection injection) =>
        new("GIT_TOKEN", "GIT_TOKEN", SecretPlaceholder.New("GIT_TOKEN"), new SecretValue("real-token"), [EgressRule.Parse("git.example")], injection);

    private static string Basic(string credentials) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

    [Fact]
    public void The_password_of_basic_credentials_is_filled_in_and_the_user_kept()
    {
        var token = Token(SecretInjection.Basic);
        var set = new SecretSet([token]);

        var rewrite = set.Rewrite("/repo.git/info/refs", [new("Authorization", Basic("x-access-token:" + token.Placeholder))], Git);

        rewrite.Headers.ShouldHaveSingleItem().Value.ShouldBe(Basic("x-access-token:real-token"));
        rewrite.Added.ShouldBe(["GIT_TOKEN"]);
        rewrite.Misdirected.ShouldBeNull();
    }

    [Fact]
    public void Basic_credentials_carrying_the_placeholder_to_another_host_make_the_request_misdirected()
    {
        var token = Token(SecretInjection.Basic);

        var rewrite = new SecretSet([token]).Rewrite("/", [new("Authorization", Basic("u:" + token.Placeholder))], new EgressDestination("evil.example", 443));

        rewrite.Misdirected.ShouldBe(token);
        rewrite.Added.ShouldBeEmpty();
    }

    [Fact]
    public void A_secret_goes_only_in_the_header_its_binding_names()
    {
        var token = Token(SecretInjection.Header("x-api-key"));

        var rewrite = new SecretSet([token]).Rewrite("/", [new("Authorization", "Bearer " + token.Placeholder), new("X-Api-Key", token.Placeholder)], Git);

        rewrite.Headers[0].Value.ShouldBe("Bearer " + token.Placeholder);
        rewrite.Headers[1].Value.ShouldBe("real-token");
    }

    [Fact]
    public void Placeholders_are_new_for_every_sandbox_and_say_which_secret_they_stand_for()
    {
        var one = SecretPlaceholder.New("OPENAI_API_KEY");
        var two = SecretPlaceholder.New("OPENAI_API_KEY");

        one.ShouldNotBe(two);
        one.ShouldStartWith("airlock-placeholder-openaiapikey-");
    }

    [Fact]
    public void Printing_a_binding_never_prints_its_value()
    {
        var token = Token(SecretInjection.Bearer);

        token.ToString().ShouldNotContain("real-token");
        token.Value.ToString().ShouldBe("[secret]");
    }

    [Theory]
    [InlineData("bearer", "bearer")]
    [InlineData("Basic", "basic")]
    [InlineData("header:x-api-key", "header:x-api-key")]
    public void Injection_forms_parse(string text, string shown)
    {
        SecretInjection.TryParse(text, out var injection, out _).ShouldBeTrue();
        injection!.ToString().ShouldBe(shown);
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("header:")]
    [InlineData("header:Host")]
    [InlineData("header:x api")]
    public void Other_injection_forms_are_refused_with_the_forms_that_work(string text)
    {
        SecretInjection.TryParse(text, out _, out var problem).ShouldBeFalse();
        problem.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void An_exported_authority_comes_back_with_the_same_certificate_and_signs_what_it_trusts()
    {
        using var made = SandboxCertificateAuthority.Create("sbx-1", TimeProvider.System);
        using var back = SandboxCertificateAuthority.Import(made.Export(), TimeProvider.System);

        back.CertificatePem.ShouldBe(made.CertificatePem);
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(made.Certificate);
        chain.Build(back.ContextFor("api.example").TargetCertificate).ShouldBeTrue();
    }
}
