namespace Airlock.Server.Store;

public sealed class NameTakenException(string name) : Exception($"a sandbox named '{name}' already exists in this tenant")
{
    public string Name { get; } = name;
}
