using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A git host of the test's own on one of the host's addresses: one repository with one commit, served over HTTPS with
/// git's "dumb" protocol (plain files), under a certificate for that address that <see cref="CertificatePem"/> lets a
/// client trust. Not loopback: inside a sandbox, NO_PROXY sends loopback addresses past the proxy, to the sandbox's own.
/// </summary>
public sealed class GitHttpsServer : IDisposable
{
    public const string RepositoryName = "demo.git";

    public const string CommitMessage = "served over https";

    private readonly TcpListener _listener;
    private readonly TempDirectory _root = new("airlock-git-https-");
    private readonly X509Certificate2 _certificate;
    private int _requests;

    public GitHttpsServer(IPAddress address)
    {
        Address = address;
        _listener = new TcpListener(address, 0);
        var work = _root.CreateDirectory("work");
        var bare = Path.Combine(_root.Path, RepositoryName);
        Git(_root.Path, "init", "-q", "--bare", bare);
        Git(work, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(work, "README"), "a repository served by the test\n");
        Git(work, "add", "README");
        Git(work, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", CommitMessage);
        Git(work, "push", "-q", bare, "main");
        Git(bare, "symbolic-ref", "HEAD", "refs/heads/main");
        Git(bare, "update-server-info");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={address}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
        CertificatePem = made.ExportCertificatePem();

        _listener.Start();
        _ = ServeAsync();
    }

    public IPAddress Address { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What an allow entry names to let this server through: its exact address and port.</summary>
    public string Destination => $"{Address}:{Port}";

    public string Url => $"https://{Address}:{Port}/{RepositoryName}";

    public string CertificatePem { get; }

    public int Requests => Volatile.Read(ref _requests);

    private static void Git(string dir, params string[] args) =>
        ProcessRunner.Run("git", args, new Dictionary<string, string?> { ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_NOSYSTEM"] = "1" }, dir).ShouldSucceed();

    private Task ServeAsync() => AcceptLoop.RunAsync(_listener, AnswerAsync);

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(_certificate);
                var reader = new StreamReader(tls, Encoding.ASCII);
                var requestLine = await reader.ReadLineAsync() ?? "";
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
                {
                    // Headers are not needed: every answer is a file or a 404.
                }

                Interlocked.Increment(ref _requests);
                var path = requestLine.Split(' ') is [_, var target, ..] ? Uri.UnescapeDataString(target.Split('?')[0]).TrimStart('/') : "";
                var file = Path.GetFullPath(Path.Combine(_root.Path, path));
                var found = file.StartsWith(Path.Combine(_root.Path, RepositoryName) + "/", StringComparison.Ordinal) && File.Exists(file);
                var body = found ? await File.ReadAllBytesAsync(file) : Encoding.ASCII.GetBytes("not found\n");
                await tls.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Type: application/octet-stream\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
                await tls.WriteAsync(body);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                // The client went away or refused the certificate; nothing to answer.
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _certificate.Dispose();
        _root.Dispose();
    }
}
