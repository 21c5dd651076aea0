namespace Airlock.Sandboxes.Secrets;

/// <summary>
/// How a sandbox with secrets comes to trust its own authority: the authority's certificate, and a bundle of it with the
/// host's public roots, written beside the egress socket (mounted read-only), the bundle mounted over the image's system
/// bundle, and the variables common tools read pointing at them. Only certificates go in; the key stays in the policy point.
/// </summary>
public static class SandboxTrust
{
    public const string AuthorityName = "authority.pem";

    public const string BundleName = "trust-bundle.pem";

    /// <summary>Debian's and Ubuntu's bundle, which OpenSSL, curl, git, Python and Go read there by default.</summary>
    public const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    private static readonly string[] HostBundles = [SystemBundle, "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

    /// <summary>The variables pointing tools at the files under <paramref name="inside"/> (where the egress directory is mounted).</summary>
    public static IReadOnlyDictionary<string, string> Variables(string inside)
    {
        var bundle = $"{inside}/{BundleName}";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SSL_CERT_FILE"] = bundle,
            ["REQUESTS_CA_BUNDLE"] = bundle,
            ["CURL_CA_BUNDLE"] = bundle,
            ["GIT_SSL_CAINFO"] = bundle,
            // Node adds these to its own built-in roots: the whole bundle, so a host's own roots (a company's) stay trusted too.
            ["NODE_EXTRA_CA_CERTS"] = bundle,
        };
    }

    /// <summary>Writes both files into <paramref name="directory"/>, readable by the sandbox's user.</summary>
    public static void WriteInto(string directory, SandboxCertificateAuthority authority)
    {
        var pem = authority.CertificatePem + "\n";
        var host = HostBundles.FirstOrDefault(File.Exists) is { } found ? File.ReadAllText(found) : string.Empty;
        Write(Path.Combine(directory, AuthorityName), pem);
        Write(Path.Combine(directory, BundleName), host.TrimEnd() + "\n" + pem);
    }

    private static void Write(string path, string text)
    {
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
