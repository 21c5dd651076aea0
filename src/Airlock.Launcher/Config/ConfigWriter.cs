using System.Globalization;
using Airlock.Sandboxes.Specs;
using YamlDotNet.RepresentationModel;

namespace Airlock.Launcher.Config;

/// <summary>Writes config.yaml atomically (a temp file renamed over the old one), so a crash never leaves half a file.</summary>
public static class ConfigWriter
{
    public static void Save(AirlockConfig config, string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temp, Render(config));
        File.Move(temp, file, overwrite: true);
    }

    public static string Render(AirlockConfig config)
    {
        var namespaces = new YamlMappingNode();
        foreach (var (name, ns) in config.Namespaces)
        {
            namespaces.Add(name, Namespace(ns));
        }

        var root = new YamlMappingNode();
        if (config.BaseImage != AirlockConfig.DefaultBaseImage)
        {
            root.Add("baseImage", config.BaseImage);
        }

        root.Add("namespaces", namespaces);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        writer.WriteLine("# Airlock configuration: the source of truth for every namespace. See docs/configuration.md.");
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlMappingNode Namespace(NamespaceConfig ns)
    {
        var map = new YamlMappingNode { { "image", ns.Image }, { "buildDir", ns.BuildDir } };
        if (ns.Template is not null)
        {
            map.Add("template", ns.Template);
        }

        if (ns.Command is not null)
        {
            map.Add("command", new YamlSequenceNode(ns.Command.Select(c => new YamlScalarNode(c))));
        }

        if (!ns.Environment.IsEmpty)
        {
            var env = new YamlMappingNode();
            AddMap(env, "fromMap", ns.Environment.FromMap);
            AddMap(env, "fromFile", ns.Environment.FromFile);
            AddMap(env, "fromEnv", ns.Environment.FromEnv);
            map.Add("environment", env);
        }

        if (ns.PortForwarding.Count > 0)
        {
            map.Add("port-forwarding", new YamlSequenceNode(ns.PortForwarding.Select(p => (YamlNode)new YamlMappingNode
            {
                { "hostInterface", p.HostInterface },
                { "hostPort", p.HostPort.ToString(CultureInfo.InvariantCulture) },
                { "containerPort", p.ContainerPort.ToString(CultureInfo.InvariantCulture) },
            })));
        }

        if (ns.Volumes.Count > 0)
        {
            map.Add("volumes", new YamlSequenceNode(ns.Volumes.Select(v => new YamlScalarNode(v))));
        }

        if (ns.Display is not null)
        {
            map.Add("display", ns.Display);
        }

        if (ns.HostPorts.Count > 0)
        {
            map.Add("hostPorts", new YamlSequenceNode(ns.HostPorts.Select(p => new YamlScalarNode(p.ToString(CultureInfo.InvariantCulture)))));
        }

        if (ns.NetworkAllow.Count > 0)
        {
            map.Add("network", new YamlMappingNode
            {
                { "mode", ns.Network ?? NetworkModes.Allowlist },
                { "allow", new YamlSequenceNode(ns.NetworkAllow.Select(a => new YamlScalarNode(a))) },
            });
        }
        else if (ns.Network is not null)
        {
            map.Add("network", ns.Network);
        }

        if (ns.Secrets.Count > 0)
        {
            map.Add("secrets", SecretsYaml.Write(ns.Secrets));
        }

        if (ns.Limits != LimitsConfig.Empty)
        {
            var limits = new YamlMappingNode();
            if (ns.Limits.MemoryBytes is { } m)
            {
                limits.Add("memory", ByteSize.Format(m));
            }

            if (ns.Limits.Cpus is { } c)
            {
                limits.Add("cpus", c.ToString(CultureInfo.InvariantCulture));
            }

            if (ns.Limits.Pids is { } p)
            {
                limits.Add("pids", p.ToString(CultureInfo.InvariantCulture));
            }

            if (ns.Limits.TmpBytes is { } t)
            {
                limits.Add("tmp", ByteSize.Format(t));
            }

            map.Add("limits", limits);
        }

        if (ns.Isolation is { } isolation)
        {
            map.Add("isolation", IsolationLevels.Name(isolation));
        }

        if (ns.Nesting is { } nesting)
        {
            map.Add("nesting", nesting ? "true" : "false");
        }

        if (ns.WritableProjectPaths.Count > 0)
        {
            map.Add("writableProjectPaths", new YamlSequenceNode(ns.WritableProjectPaths.Select(p => new YamlScalarNode(p))));
        }

        return map;
    }

    private static void AddMap(YamlMappingNode parent, string key, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var map = new YamlMappingNode();
        foreach (var (k, v) in values)
        {
            map.Add(k, v);
        }

        parent.Add(key, map);
    }
}
