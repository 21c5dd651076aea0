using System.Reflection;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace Airlock.Architecture.Tests;

/// <summary>
/// The layers (docs/design/layering.md): nothing points up, and the two faces, the launcher and the server, never use
/// each other; what both need lives in Airlock.Sandboxes. Checked twice: in the project files, which catch a reference
/// before anything uses it (and a use of a constant, which the compiler copies and leaves no trace of), and in the
/// built assemblies, which name the types that break the rule.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Each project, and a project it must never use, directly or through another.</summary>
    public static TheoryData<string, string> Forbidden { get; } = new()
    {
        { "Airlock.Launcher", "Airlock.Server" },
        { "Airlock.Server", "Airlock.Launcher" },
        { "Airlock.Sandboxes", "Airlock.Launcher" },
        { "Airlock.Sandboxes", "Airlock.Server" },
        { "Airlock.Engine", "Airlock.Launcher" },
        { "Airlock.Engine", "Airlock.Server" },
        { "Airlock.Engine", "Airlock.Sandboxes" },
        { "Airlock.Launcher", "Airlock.Cli" },
        { "Airlock.Server", "Airlock.Cli" },
        { "Airlock.Sandboxes", "Airlock.Cli" },
        { "Airlock.Engine", "Airlock.Cli" },
    };

    private static readonly Dictionary<string, Assembly> Assemblies = new(StringComparer.Ordinal)
    {
        ["Airlock.Engine"] = typeof(Engine.EngineClient).Assembly,
        ["Airlock.Sandboxes"] = typeof(Sandboxes.Specs.SandboxSpec).Assembly,
        ["Airlock.Launcher"] = typeof(Launcher.LauncherException).Assembly,
        ["Airlock.Server"] = typeof(Server.AirlockServer).Assembly,
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void No_project_references_a_project_of_a_layer_it_must_not_use(string project, string forbidden)
    {
        ReferencesOf(project).ShouldNotContain(
            forbidden,
            $"{project} references {forbidden} (directly or through another project): the layers forbid it. Move what both need down into Airlock.Sandboxes");
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void No_type_uses_a_type_of_a_layer_it_must_not_use(string project, string forbidden)
    {
        // Every type of a project lives in the namespace of its name or below; NetArchTest matches whole namespace parts.
        var result = Types.InAssembly(Assemblies[project]).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        (result.FailingTypeNames ?? []).ShouldBeEmpty(
            $"these types of {project} use {forbidden}, which the layers forbid. Move what both need down into Airlock.Sandboxes");
    }

    /// <summary>Every project <paramref name="project"/> references, directly or through another (src/NAME/NAME.csproj).</summary>
    private static HashSet<string> ReferencesOf(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var next = new Queue<string>([project]);
        while (next.TryDequeue(out var name))
        {
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", name, name + ".csproj")).Descendants("ProjectReference"))
            {
                var referenced = Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/'));
                if (seen.Add(referenced))
                {
                    next.Enqueue(referenced);
                }
            }
        }

        return seen;
    }
}
