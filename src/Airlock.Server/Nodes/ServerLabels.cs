namespace Airlock.Server.Nodes;

/// <summary>Labels the server adds besides the shared <c>io.airlock.*</c> ones.</summary>
public static class ServerLabels
{
    public const string Node = "io.airlock.node";

    /// <summary>The id of the database the server keeps its state in (every server on one database shares it): what the reconciler owns.</summary>
    public const string Server = "io.airlock.server";

    /// <summary>On snapshot images: the snapshot's id.</summary>
    public const string Snapshot = "io.airlock.snapshot";
}
