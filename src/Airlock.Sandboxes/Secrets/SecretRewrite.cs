namespace Airlock.Sandboxes.Secrets;

/// <summary>
/// What <see cref="SecretSet.Rewrite"/> made of a request head: the headers to send, the secrets put in, or the secret
/// whose placeholder was on its way to a destination it is not bound to (the request is then refused, not sent).
/// </summary>
public sealed record SecretRewrite(IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> Added, SecretBinding? Misdirected);
