using Airlock.Engine.Containers;
using Airlock.Engine.Discovery;
using Airlock.Engine.Errors;
using Airlock.Engine.Tests.Discovery;
using Airlock.Engine.Transport;

namespace Airlock.Engine.Tests.Containers;

public sealed class PodmanRuntimeServiceTests : IDisposable
{
    private readonly TempDirectory _runtimeDir = new();
    private readonly FakePodmanServiceStarter _starter = new();

    private PodmanRuntimeService Service(int uid) => new(
        new DiscoveryEnvironment(
            name => name == "XDG_RUNTIME_DIR" ? _runtimeDir.Path : null,
            File.Exists,
            name => name == "podman" ? "/usr/bin/podman" : null,
            uid),
        _starter);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_service_for_a_runtime_is_started_on_a_private_socket_with_that_runtime_as_its_default()
    {
        var uid = (int)Airlock.Engine.Native.Posix.GetEffectiveUserId();
        var endpoint = await Service(uid).EndpointAsync("airlock-runsc", EngineEndpoint.Unix("/run/user/1500/podman/podman.sock"), rootless: uid != 0, Ct);

        var socket = Path.Combine(_runtimeDir.Path, "airlock", "podman-airlock-runsc.sock");
        endpoint.ShouldBe(EngineEndpoint.Unix(socket));
        _starter.RuntimeStarts.ShouldBe([("/usr/bin/podman", socket, "airlock-runsc")]);
    }

    [Fact]
    public async Task A_remote_podman_cannot_be_given_a_runtime()
    {
        var ex = await Should.ThrowAsync<EngineException>(() => Service(0).EndpointAsync("airlock-runsc", EngineEndpoint.Parse("tcp://10.0.0.5:8080"), rootless: false, Ct));

        ex.Message.ShouldContain("ignores the runtime");
        _starter.RuntimeStarts.ShouldBeEmpty();
    }

    [Fact]
    public async Task Rootful_podman_needs_root_for_a_runtime_and_rootless_podman_its_own_user()
    {
        (await Should.ThrowAsync<EngineException>(() => Service(1500).EndpointAsync("airlock-runsc", EngineEndpoint.Unix("/run/podman/podman.sock"), rootless: false, Ct)))
            .Message.ShouldContain("must run as root");
        (await Should.ThrowAsync<EngineException>(() => Service(0).EndpointAsync("airlock-runsc", EngineEndpoint.Unix("/run/user/1500/podman/podman.sock"), rootless: true, Ct)))
            .Message.ShouldContain("engine's own user");
        _starter.RuntimeStarts.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task A_runtime_name_that_is_not_a_plain_name_is_refused(string name)
    {
        await Should.ThrowAsync<ArgumentException>(() => Service(0).EndpointAsync(name, EngineEndpoint.Unix("/run/podman/podman.sock"), rootless: false, Ct));
    }

    public void Dispose() => _runtimeDir.Dispose();
}
