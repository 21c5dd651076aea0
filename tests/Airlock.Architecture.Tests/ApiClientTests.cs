using NetArchTest.Rules;

namespace Airlock.Architecture.Tests;

/// <summary>
/// One HTTP client of <c>airlock serve</c>: Airlock.Client. The CLI's remote commands go through it, so the CLI has no
/// second one to drift from it; and the client depends on nothing of Airlock's, so an agent framework that takes the
/// package takes in no server, engine or CLI code.
/// </summary>
public sealed class ApiClientTests
{
    [Theory]
    [InlineData("System.Net.Http.HttpClient")]
    [InlineData("System.Net.Http.HttpRequestMessage")]
    [InlineData("System.Net.WebSockets.ClientWebSocket")]
    public void The_cli_talks_to_the_server_only_through_Airlock_Client(string type)
    {
        var users = Types.InAssembly(typeof(Cli.CliApp).Assembly).ShouldNot().HaveDependencyOn(type).GetResult().FailingTypeNames ?? [];

        users.ShouldBeEmpty($"these CLI types use {type}: call the server through Airlock.Client (ServerConnection.CallAsync) instead");
    }

    [Fact]
    public void The_client_library_depends_on_no_other_Airlock_assembly()
    {
        var references = typeof(Client.AirlockClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Airlock", StringComparison.Ordinal));

        references.ShouldBeEmpty("Airlock.Client ships alone as a NuGet package: it may use the base class library only");
    }
}
