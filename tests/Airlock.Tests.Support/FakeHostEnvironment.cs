namespace Airlock.Tests.Support;

/// <summary>A host environment made of the given variables only, so tests never depend on the real one.</summary>
public static class FakeHostEnvironment
{
    public static Func<string, string?> Of(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    public static Func<string, string?> Empty { get; } = _ => null;
}
