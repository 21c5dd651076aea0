using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Airlock.Sandboxes.Secrets;

/// <summary>
/// A certificate authority of one sandbox, made when the sandbox is and living only in the policy point's memory: the
/// sandbox trusts its certificate (never sees its key), and the policy point signs with it a certificate for each host
/// a secret is bound to, so it can read and fill in requests to those hosts. Nothing it signs is trusted anywhere else.
/// </summary>
public sealed class SandboxCertificateAuthority : IDisposable
{
    private static readonly TimeSpan Backdate = TimeSpan.FromHours(1);
    private static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(7);
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(400);
    private const int MaxLeaves = 256;

    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (SslStreamCertificateContext Context, DateTimeOffset NotAfter)> _leaves = new(StringComparer.OrdinalIgnoreCase);

    private SandboxCertificateAuthority(X509Certificate2 certificate, TimeProvider time)
    {
        _certificate = certificate;
        _time = time;
    }

    public static SandboxCertificateAuthority Create(string sandboxId, TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Airlock sandbox CA {Sanitise(sandboxId)}, O=Airlock", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        using var made = request.CreateSelfSigned(now - Backdate, now + CaLifetime);
        // Through PKCS#12 so the key can be exported again (Export), as a restarted server needs.
        return Import(made.Export(X509ContentType.Pkcs12), time);
    }

    /// <summary>
    /// The authority back from <see cref="Export"/>: a server that restarts keeps serving its sandboxes with the authority
    /// they already trust. The bytes hold the key; whoever stores them encrypts them.
    /// </summary>
    public static SandboxCertificateAuthority Import(byte[] pkcs12, TimeProvider time) =>
        new(X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.Exportable), time);

    /// <summary>The certificate and its key as PKCS#12 (no password): for a store that encrypts it, never for the sandbox.</summary>
    public byte[] Export() => _certificate.Export(X509ContentType.Pkcs12);

    /// <summary>The certificate (PEM) the sandbox trusts.</summary>
    public string CertificatePem => _certificate.ExportCertificatePem();

    public X509Certificate2 Certificate => _certificate;

    /// <summary>The certificate the policy point shows the sandbox for <paramref name="host"/> (a name or an address), made once and reused until near its end.</summary>
    public SslStreamCertificateContext ContextFor(string host)
    {
        var now = _time.GetUtcNow();
        if (_leaves.TryGetValue(host, out var leaf) && leaf.NotAfter - now > TimeSpan.FromDays(1))
        {
            return leaf.Context;
        }

        if (_leaves.Count >= MaxLeaves)
        {
            // A wildcard binding lets the sandbox name endless hosts; it must not make the policy point keep endless keys.
            _leaves.Clear();
        }

        var made = Issue(host, now);
        _leaves[host] = made;
        return made.Context;
    }

    private (SslStreamCertificateContext Context, DateTimeOffset NotAfter) Issue(string host, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Sanitise(host)}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var address))
        {
            names.AddIpAddress(address);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build(true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, true, false));
        var notAfter = Min(now + LeafLifetime, _certificate.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_certificate, now - Backdate, notAfter, serial);
        var withKey = issued.CopyWithPrivateKey(key);
        return (SslStreamCertificateContext.Create(withKey, [_certificate], offline: true), notAfter);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Keeps a name that a sandbox chose from adding attributes to a distinguished name.</summary>
    private static string Sanitise(string text) => new(text.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or '_').Take(64).ToArray());

    public void Dispose()
    {
        _certificate.Dispose();
        foreach (var (context, _) in _leaves.Values)
        {
            context.TargetCertificate.Dispose();
        }
    }
}
