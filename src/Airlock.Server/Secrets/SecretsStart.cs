namespace Airlock.Server.Secrets;

/// <summary>
/// What a start did with the secrets key: where it came from (<paramref name="Source"/>), its id, whether the key file
/// was made by this start, and, when rotating, the previous key's id and how many values were re-encrypted.
/// </summary>
public sealed record SecretsStart(SecretsKeySource Source, string KeyId, bool Created, string? PreviousKeyId, int Reencrypted);
