using Airlock.Sandboxes.Templates;

namespace Airlock.Sandboxes.Tests.Templates;

public sealed class HostCertificatesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void The_hosts_added_certificates_are_copied_as_crt_files_and_stale_ones_are_dropped()
    {
        var debian = _dir.CreateDirectory("debian");
        var fedora = _dir.CreateDirectory("fedora");
        _dir.Write("debian/corp/proxy.crt", "PEM-1");
        _dir.Write("fedora/proxy.pem", "PEM-2");
        _dir.Write("fedora/notes.txt", "not a certificate");
        var build = _dir.CreateDirectory("build");
        _dir.Write("build/host-ca-certificates/stale.crt", "old");

        HostCertificates.CopyInto(build, [debian, fedora, _dir.Combine("missing")]);

        var copied = Directory.GetFiles(Path.Combine(build, HostCertificates.DirectoryName)).Select(Path.GetFileName).Order().ToList();
        copied.ShouldBe(["README", "proxy.crt", "proxy_.crt"]);
        File.ReadAllText(Path.Combine(build, HostCertificates.DirectoryName, "proxy.crt")).ShouldBe("PEM-1");
        File.ReadAllText(Path.Combine(build, HostCertificates.DirectoryName, "proxy_.crt")).ShouldBe("PEM-2");
    }

    [Fact]
    public void Without_added_certificates_the_directory_holds_only_its_readme_so_a_COPY_of_it_still_works()
    {
        var build = _dir.CreateDirectory("build");

        HostCertificates.CopyInto(build, [_dir.Combine("none")]);

        Directory.GetFiles(Path.Combine(build, HostCertificates.DirectoryName)).Select(Path.GetFileName).ShouldBe(["README"]);
    }

    public void Dispose() => _dir.Dispose();
}
