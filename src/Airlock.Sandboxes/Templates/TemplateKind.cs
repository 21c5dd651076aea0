namespace Airlock.Sandboxes.Templates;

public enum TemplateKind
{
    /// <summary>Shipped inside airlock.</summary>
    BakedIn,

    /// <summary>In ~/.airlock/templates; shadows a baked-in template of the same name.</summary>
    User,

    /// <summary>A git URL[#REF], cloned into ~/.airlock/template-cache.</summary>
    Git,
}
