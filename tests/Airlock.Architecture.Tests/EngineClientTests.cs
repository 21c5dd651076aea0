using NetArchTest.Rules;

namespace Airlock.Architecture.Tests;

/// <summary>Only the runtime touches the engine client: the faces, the reconciler and the terminal code see ISandboxRuntime.</summary>
public sealed class EngineClientTests
{
    /// <summary>
    /// The namespaces whose types may use <see cref="Engine.EngineClient"/>: the engine client itself, the engine runtime
    /// behind ISandboxRuntime, and the CLI's composition root that finds an engine and hands its runtime out.
    /// </summary>
    public static readonly IReadOnlyList<string> EngineClientNamespaces = ["Airlock.Engine", "Airlock.Sandboxes.Runtime", "Airlock.Cli.Engines"];

    [Fact]
    public void Only_the_runtime_and_the_composition_root_use_the_engine_client()
    {
        var users = Types.InAssemblies([
                typeof(Engine.EngineClient).Assembly,
                typeof(Sandboxes.Specs.SandboxSpec).Assembly,
                typeof(Launcher.LauncherException).Assembly,
                typeof(Server.AirlockServer).Assembly,
                typeof(Cli.CliApp).Assembly,
            ])
            .ShouldNot().HaveDependencyOn(typeof(Engine.EngineClient).FullName!)
            .GetResult().FailingTypeNames ?? [];

        users.Where(type => !EngineClientNamespaces.Any(ns => type.StartsWith(ns + ".", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ShouldBeEmpty($"only types in {string.Join(", ", EngineClientNamespaces)} may use EngineClient; reach sandboxes through ISandboxRuntime");
    }
}
