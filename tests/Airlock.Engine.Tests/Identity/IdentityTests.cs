using Airlock.Engine.Identity;
using Airlock.Engine.Tests.Infrastructure;

namespace Airlock.Engine.Tests.Identity;

[Trait("Category", "Integration")]
public sealed class IdentityTests(EngineFixture fixture)
{
    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Connect_reports_the_engine_kind_and_version(string engine)
    {
        var identity = (await fixture.ConnectAsync(engine)).Client.Identity;

        identity.Kind.ShouldBe(engine == Engines.Podman ? EngineKind.Podman : EngineKind.Docker);
        identity.Version.ShouldMatch(@"^\d+\.\d+");
        identity.Os.ShouldBe("linux");
        identity.Arch.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Connect_negotiates_the_pinned_API_version_1_41(string engine)
    {
        var identity = (await fixture.ConnectAsync(engine)).Client.Identity;

        identity.ServerApiVersion.ShouldBeGreaterThanOrEqualTo(EngineApiVersion.Pinned);
        identity.NegotiatedApiVersion.ShouldBe(new EngineApiVersion(1, 41));
    }

    [Theory(Timeout = Engines.TestTimeoutMs)]
    [MemberData(nameof(Engines.Both), MemberType = typeof(Engines))]
    public async Task Connect_reports_a_rootful_engine_as_not_rootless(string engine)
    {
        var identity = (await fixture.ConnectAsync(engine)).Client.Identity;

        identity.Rootless.ShouldBeFalse();
    }
}
