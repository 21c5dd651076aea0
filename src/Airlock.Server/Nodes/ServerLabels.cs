namespace Airlock.Server.Nodes;

/// <summary>Labels the server adds besides the shared <c>io.airlock.*</c> ones.</summary>
public static class ServerLabels
{
    public const string Node = "io.airlock.node";
}
