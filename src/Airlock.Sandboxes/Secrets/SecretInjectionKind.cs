namespace Airlock.Sandboxes.Secrets;

/// <summary>Where a secret's value goes in a request.</summary>
public enum SecretInjectionKind
{
    /// <summary><c>Authorization: Bearer VALUE</c>.</summary>
    Bearer,

    /// <summary>The password of <c>Authorization: Basic</c> (git over HTTPS with a token).</summary>
    Basic,

    /// <summary>The whole value of a header of its own, such as <c>x-api-key</c>.</summary>
    Header,
}
