using Airlock.Engine.Containers;
using Airlock.Engine.Identity;

namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>One connected engine and the conventions every test object follows there.</summary>
public sealed class TestEngine(string name, EngineClient client, string runId)
{
    /// <summary>Carried by every container and image the tests create; its value is the run id.</summary>
    public const string RunLabel = Engines.RunLabel;

    /// <summary>Distinguishes one test's objects from the others running at the same time.</summary>
    public const string CaseLabel = Engines.CaseLabel;

    /// <summary>Every test image is named <c>localhost/airlock-test-*:RUNID...</c>, so unlabelled ones (imports, tags) are found too.</summary>
    public const string ImagePrefix = "localhost/airlock-test-";

    public static string BaseImage => Engines.BaseImage;

    public string Name { get; } = name;

    public EngineClient Client { get; } = client;

    public string RunId { get; } = runId;

    public EngineKind Kind => Client.Identity.Kind;

    public EngineScope Scope() => new(this);

    public override string ToString() => Name;

    /// <summary>Options for a container from the base image running <paramref name="command"/>; labels are added on create.</summary>
    public static ContainerCreateOptions Container(params string[] command) => new() { Image = BaseImage, Command = command };

    /// <summary>A shell script as a command.</summary>
    public static ContainerCreateOptions Script(string script) => Container("bash", "-c", script);
}
