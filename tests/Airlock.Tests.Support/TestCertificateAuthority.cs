using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Airlock.Tests.Support;

/// <summary>
/// A root of the test's own, standing in for the public authorities a real HTTPS host chains to: it issues server
/// certificates for the test's servers, and a program trusts it only when told to (a root collection in-process, or
/// <see cref="WriteBundle"/> as the <c>SSL_CERT_FILE</c> of a process).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificateAuthority(string name = "Airlock test root")
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Roots => [Certificate];

    /// <summary>A server certificate (with its key) for a DNS name or an IP address.</summary>
    public X509Certificate2 Issue(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(12));
        // Through PKCS#12, so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A PEM bundle of this root and the machine's own trust store, for a process's <c>SSL_CERT_FILE</c>.</summary>
    public string WriteBundle(string path)
    {
        const string system = "/etc/ssl/certs/ca-certificates.crt";
        File.WriteAllText(path, (File.Exists(system) ? File.ReadAllText(system) : string.Empty) + Certificate.ExportCertificatePem() + "\n");
        return path;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
