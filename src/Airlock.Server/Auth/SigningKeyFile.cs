using System.Text;
using Airlock.Server.Store;

namespace Airlock.Server.Auth;

/// <summary>
/// The file the token signing keys live in (<c>--signing-key-file</c>, default <c>~/.airlock/server/signing-key</c>),
/// mode 0600, never in the database. One base64 key per line, <c>#</c> comments: the first line signs new tokens, every
/// line is accepted when checking one. Rotating puts a new key first and keeps the one before it (tokens minted with it
/// stay valid until they expire, at most an hour); the ones before that are dropped. Servers sharing a database share
/// this file too (the same copy on each); they read it again when it changes.
/// </summary>
public static class SigningKeyFile
{
    private const string Header =
        "# airlock serve token signing keys, one base64 key per line: the first signs new tokens, every line is accepted.\n"
        + "# Keep this file private (0600). Rotate with: airlock serve --rotate-signing-key --signing-key-file THIS_FILE\n";

    /// <summary>The keys in the file, made with one new key when it does not exist; a file left wider than 0600 is narrowed.</summary>
    public static async Task<IReadOnlyList<SigningKey>> EnsureAsync(string path, CancellationToken ct)
    {
        try
        {
            if (!File.Exists(path))
            {
                await WriteAsync(path, [SigningKey.New()], ct);
            }

            PrivateFiles.Narrow(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SigningKeyFileException($"cannot use the signing key file {path}: {ex.Message}", "give --signing-key-file a regular file (or a path to make one) in a directory the user running airlock serve owns");
        }

        return Read(path);
    }

    /// <summary>Puts a new key first and keeps the previous first key; returns the new one and the one kept (null when there was none).</summary>
    public static async Task<(SigningKey New, SigningKey? Kept)> RotateAsync(string path, CancellationToken ct)
    {
        var previous = File.Exists(path) ? Read(path)[0] : null;
        var fresh = SigningKey.New();
        try
        {
            await WriteAsync(path, previous is null ? [fresh] : [fresh, previous], ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SigningKeyFileException($"cannot write the signing key file {path}: {ex.Message}", "give --signing-key-file a path in a directory the user running airlock serve owns");
        }

        return (fresh, previous);
    }

    /// <summary>Reads the keys; a file that is not what this class writes is refused, naming the line.</summary>
    public static IReadOnlyList<SigningKey> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SigningKeyFileException($"cannot read the signing key file {path}: {ex.Message}", "check the path given with --signing-key-file, and that it belongs to the user running airlock serve");
        }

        var keys = new List<SigningKey>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            byte[] secret;
            try
            {
                secret = Convert.FromBase64String(line);
            }
            catch (FormatException)
            {
                throw new SigningKeyFileException($"{path}:{i + 1}: is not a base64 key", $"each key line is {SigningKey.MinBytes} or more random bytes in base64; rotate to write a good one");
            }

            if (secret.Length < SigningKey.MinBytes)
            {
                throw new SigningKeyFileException($"{path}:{i + 1}: the key has {secret.Length} bytes; at least {SigningKey.MinBytes}", "rotate to write a good one: airlock serve --rotate-signing-key");
            }

            keys.Add(SigningKey.From(secret));
        }

        return keys.Count > 0
            ? keys
            : throw new SigningKeyFileException($"the signing key file {path} holds no key", "remove it (the server makes a new one) or rotate: airlock serve --rotate-signing-key");
    }

    private static Task WriteAsync(string path, IReadOnlyList<SigningKey> keys, CancellationToken ct)
    {
        var text = new StringBuilder(Header);
        foreach (var key in keys)
        {
            text.Append(key.Encoded).Append('\n');
        }

        return PrivateFiles.WriteAsync(path, text.ToString(), ct);
    }
}

/// <summary>The signing key file cannot be used; the message names the file (and line), <see cref="HowToFix"/> says what to do.</summary>
public sealed class SigningKeyFileException(string message, string howToFix) : Exception(message)
{
    public string HowToFix { get; } = howToFix;
}
