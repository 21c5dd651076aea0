namespace Airlock.Server.Secrets;

/// <summary>
/// Where the secrets key comes from: a key file (<c>--secrets-key-file</c>, or the default one beside the other server
/// state), or the text of an environment variable (AIRLOCK_SECRETS_KEY). <see cref="Description"/> names it in messages.
/// </summary>
public sealed record SecretsKeySource
{
    public const string Variable = "AIRLOCK_SECRETS_KEY";

    private SecretsKeySource(string? file, string? text, string description, bool mayCreate)
    {
        File = file;
        Text = text;
        Description = description;
        MayCreate = mayCreate;
    }

    /// <summary>The key file; null for a key given as text.</summary>
    public string? File { get; }

    /// <summary>The key's base64 text; null for a key file.</summary>
    public string? Text { get; }

    public string Description { get; }

    /// <summary>Whether a missing file is made with a new key (the current key: yes; a previous key must exist).</summary>
    public bool MayCreate { get; }

    public static SecretsKeySource FromFile(string path, bool mayCreate = true) =>
        new(Path.GetFullPath(path), null, $"the secrets key file {Path.GetFullPath(path)}", mayCreate);

    public static SecretsKeySource FromText(string text, string variable = Variable) => new(null, text, variable, mayCreate: false);

    /// <summary>Only where it comes from, never the key.</summary>
    public override string ToString() => Description;
}
