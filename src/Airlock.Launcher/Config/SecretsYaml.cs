using Airlock.Launcher.Secrets;
using Airlock.Sandboxes.Egress;
using Airlock.Sandboxes.Parsing;
using Airlock.Sandboxes.Secrets;
using Airlock.Sandboxes.Validation;
using YamlDotNet.RepresentationModel;

namespace Airlock.Launcher.Config;

/// <summary>A namespace's <c>secrets:</c> block, read (every bad part reported with its path and line) and written back.</summary>
public static class SecretsYaml
{
    private const string Keys = "from, hosts, inject, variable";

    public static IReadOnlyDictionary<string, SecretConfig> Read(YamlNode node, string path, ValidationErrors errors)
    {
        var secrets = new Dictionary<string, SecretConfig>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            errors.Add(path, $"must be a mapping of NAME: {{ {Keys} }}", YamlReader.Line(node));
            return secrets;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            var name = YamlReader.Key(keyNode);
            var at = $"{path}.{name}";
            if (!VariableNames.IsValid(name))
            {
                errors.Add(at, $"'{name}' is not a secret name ({VariableNames.Rule})", YamlReader.Line(keyNode));
                continue;
            }

            if (Entry(value, at, errors) is { } entry)
            {
                var hostsGiven = value is YamlMappingNode entryMap && entryMap.Children.Keys.Any(k => YamlReader.Key(k) == "hosts");
                if (!hostsGiven && !ProviderSecrets.IsKnown(name))
                {
                    errors.Add($"{at}.hosts", "is missing: list the hosts this secret may be sent to (Airlock knows the hosts only of the provider keys in docs/secrets.md)", YamlReader.Line(value));
                }

                secrets[name] = entry;
            }
        }

        return secrets;
    }

    private static SecretConfig? Entry(YamlNode node, string path, ValidationErrors errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(path, $"must be a mapping with {Keys}", YamlReader.Line(node));
            return null;
        }

        string? from = null, inject = null, variable = null;
        var hosts = new List<string>();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = YamlReader.Key(keyNode);
            var at = $"{path}.{key}";
            switch (key)
            {
                case "from":
                    from = YamlReader.Scalar(value, at, errors);
                    if (from is not null && !SecretSource.TryParse(from, out _, out var bad))
                    {
                        errors.Add(at, bad, YamlReader.Line(value));
                    }

                    break;
                case "hosts":
                    hosts = Hosts(value, at, errors);
                    break;
                case "inject":
                    inject = YamlReader.Scalar(value, at, errors);
                    if (inject is not null && !SecretInjection.TryParse(inject, out _, out var problem))
                    {
                        errors.Add(at, problem, YamlReader.Line(value));
                    }

                    break;
                case "variable":
                    variable = YamlReader.Scalar(value, at, errors);
                    if (variable is not null && !VariableNames.IsValid(variable))
                    {
                        errors.Add(at, $"'{variable}' is not a variable name ({VariableNames.Rule})", YamlReader.Line(value));
                    }

                    break;
                default:
                    errors.Add(at, $"is not one of {Keys}", YamlReader.Line(keyNode));
                    break;
            }
        }

        return new SecretConfig(from, hosts, inject, variable);
    }

    private static List<string> Hosts(YamlNode node, string path, ValidationErrors errors)
    {
        var hosts = new List<string>();
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(path, "must be a list of hosts (host, *.suffix, host:port, CIDR)", YamlReader.Line(node));
            return hosts;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var at = $"{path}[{i}]";
            if (YamlReader.Scalar(sequence.Children[i], at, errors) is not { } text)
            {
                continue;
            }

            if (EgressRule.TryParse(text, out _, out var problem))
            {
                hosts.Add(text);
            }
            else
            {
                errors.Add(at, $"'{text}': {problem}", YamlReader.Line(sequence.Children[i]));
            }
        }

        return hosts;
    }

    public static YamlMappingNode Write(IReadOnlyDictionary<string, SecretConfig> secrets)
    {
        var map = new YamlMappingNode();
        foreach (var (name, secret) in secrets)
        {
            var entry = new YamlMappingNode();
            if (secret.From is not null)
            {
                entry.Add("from", secret.From);
            }

            if (secret.Hosts.Count > 0)
            {
                entry.Add("hosts", new YamlSequenceNode(secret.Hosts.Select(h => new YamlScalarNode(h))));
            }

            if (secret.Inject is not null)
            {
                entry.Add("inject", secret.Inject);
            }

            if (secret.Variable is not null)
            {
                entry.Add("variable", secret.Variable);
            }

            map.Add(name, entry);
        }

        return map;
    }
}
