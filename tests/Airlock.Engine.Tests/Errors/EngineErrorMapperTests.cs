using System.Net;
using Airlock.Engine.Errors;

namespace Airlock.Engine.Tests.Errors;

public sealed class EngineErrorMapperTests
{
    private const string DockerNoSuchContainer = """{"message":"No such container: abc"}""";
    private const string PodmanNoSuchContainer = """{"cause":"no such container","message":"no container with name or ID \"abc\" found: no such container","response":404}""";

    [Fact]
    public void Docker_404_becomes_not_found_with_the_operation_and_the_engine_message()
    {
        var ex = EngineErrorMapper.FromResponse(HttpStatusCode.NotFound, DockerNoSuchContainer, "inspect container abc");

        ex.ShouldBeOfType<EngineNotFoundException>();
        ex.Message.ShouldBe("inspect container abc: No such container: abc");
        ex.EngineMessage.ShouldBe("No such container: abc");
        ex.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void Podman_404_becomes_not_found_with_its_message_rather_than_its_cause()
    {
        var ex = EngineErrorMapper.FromResponse(HttpStatusCode.NotFound, PodmanNoSuchContainer, "inspect container abc");

        ex.ShouldBeOfType<EngineNotFoundException>();
        ex.EngineMessage.ShouldBe("no container with name or ID \"abc\" found: no such container");
    }

    [Fact]
    public void Docker_409_becomes_a_conflict()
    {
        const string body = """{"message":"Conflict. The container name \"/box\" is already in use by container \"f764c3\". You have to remove (or rename) that container to be able to reuse that name."}""";

        var ex = EngineErrorMapper.FromResponse(HttpStatusCode.Conflict, body, "create container from img");

        ex.ShouldBeOfType<EngineConflictException>();
        ex.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        ex.Message.ShouldStartWith("create container from img: Conflict. The container name \"/box\"");
    }

    [Theory]
    [InlineData("""{"cause":"that name is already in use","message":"container create: creating container storage: the container name \"box\" is already in use by af6d3e. You have to remove that container to be able to reuse that name: that name is already in use","response":500}""")]
    [InlineData("""{"cause":"container state improper","message":"cannot remove container f070c9 as it is running - running or paused containers cannot be removed without force: container state improper","response":500}""")]
    public void Podman_500_for_a_name_in_use_or_a_running_container_becomes_a_conflict_as_on_Docker(string body)
    {
        var ex = EngineErrorMapper.FromResponse(HttpStatusCode.InternalServerError, body, "op");

        ex.ShouldBeOfType<EngineConflictException>();
        ex.EngineMessage.ShouldNotBeNull().ShouldNotContain("\"cause\"");
    }

    [Fact]
    public void A_500_with_any_other_cause_stays_a_plain_engine_error_with_its_status()
    {
        const string body = """{"cause":"no command or entrypoint provided, and no CMD or ENTRYPOINT from image","message":"container create: no command or entrypoint provided, and no CMD or ENTRYPOINT from image","response":500}""";

        var ex = EngineErrorMapper.FromResponse(HttpStatusCode.InternalServerError, body, "create container from img");

        ex.GetType().ShouldBe(typeof(EngineException));
        ex.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        ex.Message.ShouldBe("create container from img: container create: no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
    }

    [Fact]
    public void A_body_that_is_not_json_is_kept_as_the_message()
    {
        var ex = EngineErrorMapper.FromResponse(HttpStatusCode.BadGateway, "  upstream went away\n", "list containers");

        ex.EngineMessage.ShouldBe("upstream went away");
        ex.Message.ShouldBe("list containers: upstream went away");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_body_says_the_engine_gave_no_message(string body)
    {
        EngineErrorMapper.FromResponse(HttpStatusCode.InternalServerError, body, "op").EngineMessage.ShouldBe("(the engine gave no message)");
    }

    [Theory]
    [InlineData("""{"message": 42}""")]
    [InlineData("""{"error":"something"}""")]
    [InlineData("{not json")]
    public void Json_without_a_string_message_is_shown_raw(string body)
    {
        EngineErrorMapper.ExtractMessage(body).ShouldBe(body);
    }

    [Fact]
    public void Docker_client_version_too_new_becomes_api_too_old_with_the_server_version()
    {
        const string body = """{"message":"client version 1.41 is too new. Maximum supported API version is 1.40"}""";

        var ex = EngineErrorMapper.FromResponse(HttpStatusCode.BadRequest, body, "read engine info");

        var tooOld = ex.ShouldBeOfType<EngineApiTooOldException>();
        tooOld.ServerVersion.ShouldBe("1.40");
        tooOld.MinimumVersion.ShouldBe(EngineApiVersion.Minimum.ToString());
        tooOld.Message.ShouldContain("upgrade");
    }

    [Theory]
    [InlineData("""Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host""")]
    [InlineData("""initializing source docker://busybox:latest: pinging container registry registry-1.docker.io: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host""")]
    [InlineData("""Get "https://quay.io/v2/": dial tcp 3.1.2.3:443: connect: connection refused""")]
    [InlineData("""Get "https://ghcr.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)""")]
    [InlineData("""Get "https://registry.example/v2/": dial tcp: lookup registry.example: Temporary failure in name resolution""")]
    public void Registry_connection_failures_of_both_engines_are_detected(string message)
    {
        EngineErrorMapper.IsRegistryUnreachable(message).ShouldBeTrue();
    }

    [Theory]
    [InlineData("manifest for busybox:nope not found: manifest unknown: manifest unknown")]
    [InlineData("pull access denied for nope, repository does not exist or may require 'docker login': denied: requested access to the resource is denied")]
    [InlineData("initializing source docker://nope:latest: reading manifest latest in docker.io/library/nope: requested access to the resource is denied")]
    public void A_missing_image_or_denied_access_is_not_taken_for_an_unreachable_registry(string message)
    {
        EngineErrorMapper.IsRegistryUnreachable(message).ShouldBeFalse();
    }
}
