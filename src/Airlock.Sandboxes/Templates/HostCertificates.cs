namespace Airlock.Sandboxes.Templates;

/// <summary>
/// The certificate authorities the host's administrator added (a company's TLS-inspecting proxy, a private registry),
/// copied into every build dir as <see cref="DirectoryName"/>/ before a build. A template that downloads over HTTPS
/// (cli-agents: Node and the agents from the npm registry) installs them, so it builds wherever the host can fetch.
/// Only locally added CAs are copied, never the distribution's own bundle, which every image has anyway.
/// </summary>
public static class HostCertificates
{
    public const string DirectoryName = "host-ca-certificates";

    /// <summary>Where Debian/Ubuntu and Fedora/RHEL keep locally added CAs.</summary>
    public static IReadOnlyList<string> DefaultSources { get; } = ["/usr/local/share/ca-certificates", "/etc/pki/ca-trust/source/anchors"];

    /// <summary>Replaces <c>buildDir/host-ca-certificates/</c> with the host's added CAs (a README alone when there are none).</summary>
    public static void CopyInto(string buildDir, IEnumerable<string>? sources = null)
    {
        var target = Path.Combine(buildDir, DirectoryName);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        File.WriteAllText(
            Path.Combine(target, "README"),
            "Written by airlock before each build: the host's locally added certificate authorities (from "
            + string.Join(" and ", DefaultSources) + "). Templates that download over HTTPS install them. Do not edit: it is replaced on every build.\n");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in (sources ?? DefaultSources).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".crt", StringComparison.Ordinal) || f.EndsWith(".pem", StringComparison.Ordinal)))
            {
                // update-ca-certificates only reads *.crt; a name clash between the two sources keeps both.
                var name = Path.GetFileNameWithoutExtension(file);
                while (!names.Add(name))
                {
                    name += "_";
                }

                File.Copy(file, Path.Combine(target, name + ".crt"));
            }
        }
    }
}
