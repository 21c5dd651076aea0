using Airlock.Launcher.Config;
using Airlock.Sandboxes.Paths;
using Airlock.Sandboxes.Validation;

namespace Airlock.Launcher.Launch;

/// <summary>Turns a namespace's environment block and <c>-e</c> flags into the variables the sandbox gets.</summary>
public static class EnvironmentResolver
{
    public static Dictionary<string, string> Resolve(
        string nsName, EnvironmentConfig config, IReadOnlyList<string> flags, AirlockPaths paths, Func<string, string?> hostEnv, List<string> warnings)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in config.FromMap)
        {
            env[name] = value;
        }

        foreach (var (name, file) in config.FromFile)
        {
            var path = paths.Expand(file);
            if (!File.Exists(path))
            {
                throw new LauncherException(
                    $"namespaces.{nsName}.environment.fromFile.{name}: {file} does not exist. Create it (the file's content becomes ${name}) or remove the entry (airlock config)");
            }

            env[name] = File.ReadAllText(path).TrimEnd('\r', '\n');
        }

        foreach (var (name, hostName) in config.FromEnv)
        {
            if (hostEnv(hostName) is { } value)
            {
                env[name] = value;
            }
            else
            {
                warnings.Add($"namespaces.{nsName}.environment.fromEnv.{name}: ${hostName} is not set on the host, so {name} is not forwarded");
            }
        }

        foreach (var flag in flags)
        {
            var eq = flag.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? flag : flag[..eq];
            if (!VariableNames.IsValid(name))
            {
                throw new LauncherException($"--env '{flag}': '{name}' is not a valid variable name ({VariableNames.Rule}); use NAME=VALUE or NAME to inherit the host's value");
            }

            if (eq >= 0)
            {
                env[name] = flag[(eq + 1)..];
            }
            else if (hostEnv(name) is { } value)
            {
                env[name] = value;
            }
            else
            {
                throw new LauncherException($"--env {name}: {name} is not set on the host; give a value with --env {name}=VALUE");
            }
        }

        return env;
    }
}
