using System.Globalization;
using Airlock.Sandboxes.Naming;
using Airlock.Sandboxes.Parsing;
using Airlock.Sandboxes.Specs;
using Airlock.Sandboxes.Validation;
using YamlDotNet.RepresentationModel;

namespace Airlock.Launcher.Config;

/// <summary>
/// Reads config.yaml into <see cref="AirlockConfig"/>, reporting every problem with its path and line
/// (<c>namespaces.work.port-forwarding[0].hostPort (line 12): 70000 is not a port (1-65535)</c>).
/// </summary>
public static class ConfigLoader
{
    private static readonly string[] DisplayModes = ["x11", "wayland", "auto", "none"];

    public static AirlockConfig Load(string file)
    {
        if (!File.Exists(file))
        {
            return new AirlockConfig();
        }

        return Parse(File.ReadAllText(file), file);
    }

    public static AirlockConfig Parse(string yaml, string file = "config.yaml")
    {
        var stream = YamlReader.Load(yaml, file);

        var errors = new ValidationErrors();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new AirlockConfig();
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add("(root)", "must be a mapping with 'namespaces:'", Line(stream.Documents[0].RootNode));
            errors.ThrowIfAny(file);
            return null!;
        }

        var config = new AirlockConfig();
        var namespaces = new SortedDictionary<string, NamespaceConfig>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            var key = YamlReader.Key(keyNode);
            switch (key)
            {
                case "baseImage":
                    config = config with { BaseImage = Scalar(value, "baseImage", errors) ?? config.BaseImage };
                    break;
                case "namespaces":
                    if (value is YamlMappingNode nsMap)
                    {
                        foreach (var (nameNode, nsNode) in nsMap.Children)
                        {
                            var name = YamlReader.Key(nameNode);
                            if (NameRules.NamespaceProblem(name) is { } problem)
                            {
                                errors.Add($"namespaces.{name}", problem, Line(nameNode));
                            }

                            if (ParseNamespace(nsNode, $"namespaces.{name}", errors) is { } ns)
                            {
                                namespaces[name] = ns;
                            }
                        }
                    }
                    else if (!IsNull(value))
                    {
                        errors.Add("namespaces", "must be a mapping of namespace name to settings", Line(value));
                    }

                    break;
                default:
                    errors.Add(key, "is not a known setting (known: baseImage, namespaces)", Line(keyNode));
                    break;
            }
        }

        errors.ThrowIfAny(file);
        return config with { Namespaces = namespaces };
    }

    private static NamespaceConfig? ParseNamespace(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(path, "must be a mapping with at least image: and buildDir:", Line(node));
            return null;
        }

        string? image = null, buildDir = null, template = null, display = null, network = null;
        IReadOnlyList<string>? command = null;
        var environment = EnvironmentConfig.Empty;
        var ports = new List<PortForwardConfig>();
        var volumes = new List<string>();
        var hostPorts = new List<int>();
        IReadOnlyList<string> allow = [];
        var limits = LimitsConfig.Empty;
        IReadOnlyDictionary<string, SecretConfig> secrets = new Dictionary<string, SecretConfig>();
        bool? nesting = null;
        IsolationLevel? isolation = null;
        var writable = new List<string>();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlReader.Key(keyNode);
            var at = $"{path}.{key}";
            switch (key)
            {
                case "image": image = Scalar(value, at, errors); break;
                case "buildDir": buildDir = Scalar(value, at, errors); break;
                case "template": template = Scalar(value, at, errors); break;
                case "command": command = Command(value, at, errors); break;
                case "environment": environment = Environment(value, at, errors); break;
                case "port-forwarding": ports = Sequence<PortForwardConfig>(value, at, errors, (n, p) => PortForward(n, p, errors)); break;
                case "volumes": volumes = Sequence<string>(value, at, errors, (n, p) => Scalar(n, p, errors)); break;
                case "hostPorts": hostPorts = Sequence<int?>(value, at, errors, (n, p) => Port(n, p, errors, allowZero: false)).OfType<int>().ToList(); break;
                case "display":
                    display = Scalar(value, at, errors);
                    if (display is not null && !DisplayModes.Contains(display))
                    {
                        errors.Add(at, $"'{display}' is not one of {string.Join(", ", DisplayModes)}", Line(value));
                    }

                    break;
                case "network": (network, allow) = NetworkYaml.Read(value, at, errors); break;
                case "limits": limits = Limits(value, at, errors); break;
                case "secrets": secrets = SecretsYaml.Read(value, at, errors); break;
                case "isolation":
                    if (Scalar(value, at, errors) is { } level)
                    {
                        isolation = IsolationLevels.TryParse(level);
                        if (isolation is null)
                        {
                            errors.Add(at, IsolationLevels.ErrorFor(level), Line(value));
                        }
                    }

                    break;
                case "nesting": nesting = Boolean(value, at, errors); break;
                case "writableProjectPaths": writable = Sequence<string>(value, at, errors, (n, p) => ProtectedPath(n, p, errors)); break;
                default:
                    errors.Add(at, "is not a known namespace setting (known: image, buildDir, template, command, environment, port-forwarding, volumes, display, hostPorts, network, secrets, limits, isolation, nesting, writableProjectPaths)", Line(keyNode));
                    break;
            }
        }

        // A value that is there but wrong (a list, say) was reported where it was read; "is missing" would be a second, false error.
        if (string.IsNullOrWhiteSpace(image) && !errors.All.Any(e => e.Path == $"{path}.image"))
        {
            errors.Add($"{path}.image", "is missing; e.g. image: localhost/airlock:NAME", Line(node));
        }

        if (string.IsNullOrWhiteSpace(buildDir) && !errors.All.Any(e => e.Path == $"{path}.buildDir"))
        {
            errors.Add($"{path}.buildDir", "is missing; e.g. buildDir: ~/.airlock/containers/NAME/", Line(node));
        }

        return image is null || buildDir is null
            ? null
            : new NamespaceConfig
            {
                Image = image,
                BuildDir = buildDir,
                Template = template,
                Command = command,
                Environment = environment,
                PortForwarding = ports,
                Volumes = volumes,
                Display = display,
                HostPorts = hostPorts,
                Network = network,
                NetworkAllow = allow,
                Secrets = secrets,
                Limits = limits,
                Isolation = isolation,
                Nesting = nesting,
                WritableProjectPaths = writable,
            };
    }

    private static bool? Boolean(YamlNode node, string path, ValidationErrors errors)
    {
        var text = Scalar(node, path, errors);
        switch (text)
        {
            case null:
                return null;
            case "true" or "yes":
                return true;
            case "false" or "no":
                return false;
            default:
                errors.Add(path, $"'{text}' is not true or false", Line(node));
                return null;
        }
    }

    private static string? ProtectedPath(YamlNode node, string path, ValidationErrors errors)
    {
        var text = Scalar(node, path, errors)?.Trim().TrimEnd('/');
        if (text is null || Launch.ProjectProtection.Names.Contains(text))
        {
            return text;
        }

        errors.Add(path, $"'{text}' is not a protected project path; these are: {string.Join(", ", Launch.ProjectProtection.Names)}", Line(node));
        return null;
    }

    private static IReadOnlyList<string>? Command(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is YamlSequenceNode)
        {
            return Sequence<string>(node, path, errors, (n, p) => Scalar(n, p, errors));
        }

        var text = Scalar(node, path, errors);
        if (text is null)
        {
            return null;
        }

        try
        {
            return ShellWords.Split(text);
        }
        catch (FormatException ex)
        {
            errors.Add(path, ex.Message + "; or write the command as a list", Line(node));
            return null;
        }
    }

    private static EnvironmentConfig Environment(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is not YamlMappingNode map)
        {
            if (!IsNull(node))
            {
                errors.Add(path, "must be a mapping with fromMap:, fromFile: or fromEnv:", Line(node));
            }

            return EnvironmentConfig.Empty;
        }

        var fromMap = new Dictionary<string, string>();
        var fromFile = new Dictionary<string, string>();
        var fromEnv = new Dictionary<string, string>();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlReader.Key(keyNode);
            var target = key switch { "fromMap" => fromMap, "fromFile" => fromFile, "fromEnv" => fromEnv, _ => null };
            if (target is null)
            {
                errors.Add($"{path}.{key}", "is not one of fromMap, fromFile, fromEnv", Line(keyNode));
                continue;
            }

            if (value is not YamlMappingNode vars)
            {
                if (!IsNull(value))
                {
                    errors.Add($"{path}.{key}", "must be a mapping of NAME: value", Line(value));
                }

                continue;
            }

            foreach (var (nameNode, valueNode) in vars.Children)
            {
                var name = YamlReader.Key(nameNode);
                if (!VariableNames.IsValid(name))
                {
                    errors.Add($"{path}.{key}.{name}", $"is not a valid variable name ({VariableNames.Rule})", Line(nameNode));
                }

                if (Scalar(valueNode, $"{path}.{key}.{name}", errors) is { } v)
                {
                    target[name] = v;
                }
            }
        }

        return new EnvironmentConfig(fromMap, fromFile, fromEnv);
    }

    private static PortForwardConfig? PortForward(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(path, "must be a mapping with hostPort: and containerPort: (and optionally hostInterface:)", Line(node));
            return null;
        }

        int? host = null, container = null;
        var iface = "127.0.0.1";
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlReader.Key(keyNode);
            switch (key)
            {
                case "hostPort": host = Port(value, $"{path}.hostPort", errors, allowZero: false); break;
                case "containerPort": container = Port(value, $"{path}.containerPort", errors, allowZero: false); break;
                case "hostInterface":
                    iface = Scalar(value, $"{path}.hostInterface", errors) ?? iface;
                    if (!System.Net.IPAddress.TryParse(iface.Trim('[', ']'), out _))
                    {
                        errors.Add($"{path}.hostInterface", $"'{iface}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::1)", Line(value));
                    }

                    break;
                default:
                    errors.Add($"{path}.{key}", "is not one of hostInterface, hostPort, containerPort", Line(keyNode));
                    break;
            }
        }

        if (container is null && !errors.All.Any(e => e.Path == $"{path}.containerPort"))
        {
            errors.Add($"{path}.containerPort", "is missing", Line(node));
        }

        return container is { } c ? new PortForwardConfig(c, host ?? c, iface) : null;
    }

    private static LimitsConfig Limits(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(path, "must be a mapping with memory:, cpus:, pids: or tmp:", Line(node));
            return LimitsConfig.Empty;
        }

        var limits = LimitsConfig.Empty;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlReader.Key(keyNode);
            var text = Scalar(value, $"{path}.{key}", errors);
            if (text is null)
            {
                continue;
            }

            switch (key)
            {
                case "memory" when ByteSize.TryParse(text, out var bytes):
                    limits = limits with { MemoryBytes = bytes };
                    break;
                case "memory":
                    errors.Add($"{path}.memory", $"'{text}' is not a size: {ByteSize.Grammar}; 0 for no limit", Line(value));
                    break;
                case "cpus" when double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus):
                    limits = limits with { Cpus = cpus };
                    break;
                case "cpus":
                    errors.Add($"{path}.cpus", $"'{text}' is not a number of CPUs (e.g. 2 or 0.5)", Line(value));
                    break;
                case "pids" when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pids):
                    limits = limits with { Pids = pids };
                    break;
                case "pids":
                    errors.Add($"{path}.pids", $"'{text}' is not a whole number of processes (0 for no limit)", Line(value));
                    break;
                case "tmp" when ByteSize.TryParse(text, out var tmp):
                    limits = limits with { TmpBytes = tmp };
                    break;
                case "tmp":
                    errors.Add($"{path}.tmp", $"'{text}' is not a size (e.g. 512m, 4g; 0 keeps the image writable, with no limit)", Line(value));
                    break;
                default:
                    errors.Add($"{path}.{key}", "is not one of memory, cpus, pids, tmp", Line(keyNode));
                    break;
            }
        }

        return limits;
    }

    private static int? Port(YamlNode node, string path, ValidationErrors errors, bool allowZero)
    {
        var text = Scalar(node, path, errors);
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535 || (port == 0 && !allowZero))
        {
            errors.Add(path, $"{text} is not a port (1-65535)", Line(node));
            return null;
        }

        return port;
    }

    private static List<T> Sequence<T>(YamlNode node, string path, ValidationErrors errors, Func<YamlNode, string, T?> item)
    {
        var list = new List<T>();
        if (node is not YamlSequenceNode seq)
        {
            if (!IsNull(node))
            {
                errors.Add(path, "must be a list", Line(node));
            }

            return list;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (item(seq.Children[i], $"{path}[{i}]") is { } value)
            {
                list.Add(value);
            }
        }

        return list;
    }

    private static string? Scalar(YamlNode node, string path, ValidationErrors errors) => YamlReader.Scalar(node, path, errors);

    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null" };

    private static int Line(YamlNode node) => YamlReader.Line(node);
}
