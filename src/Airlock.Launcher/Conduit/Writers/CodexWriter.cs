using System.Globalization;
using System.Text;

namespace Airlock.Launcher.Conduit.Writers;

/// <summary>
/// Codex layers <c>$CODEX_HOME/NAME.config.toml</c> over config.toml when started with <c>--profile NAME</c>. Airlock owns
/// <c>~/.codex/airlock.config.toml</c> whole (a model provider speaking the Responses API, and the model), so the user's
/// config.toml is never opened. The key travels in a variable the provider names.
/// </summary>
public sealed class CodexWriter : IAgentConfigWriter
{
    public const string RelativePath = ".codex/airlock.config.toml";

    private const string Marker = "# Written by `airlock conduit launch codex`";

    public string Agent => "codex";

    public string Command => "codex";

    public AgentSetup Configure(string home, AgentTarget target)
    {
        var path = Path.Combine(home, RelativePath);
        if (HomeFiles.ReadText(home, RelativePath) is { } existing && !existing.StartsWith(Marker, StringComparison.Ordinal))
        {
            throw new ConduitException(
                $"{path} exists and was not written by Airlock; Airlock left it untouched and did not configure codex",
                "rename it (it is codex's profile 'airlock'), then run the command again");
        }

        var toml = new StringBuilder()
            .AppendLine(Marker + "; rewritten on every launch. Put your own settings in config.toml.")
            .AppendLine(CultureInfo.InvariantCulture, $"model = {Quote(target.Model)}")
            .AppendLine(CultureInfo.InvariantCulture, $"model_provider = {Quote(AgentTarget.EntryName)}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"[model_providers.{AgentTarget.EntryName}]")
            .AppendLine("name = \"Airlock conduit\"")
            .AppendLine(CultureInfo.InvariantCulture, $"base_url = {Quote(target.BaseUrl)}")
            .AppendLine(CultureInfo.InvariantCulture, $"env_key = {Quote(AgentTarget.ApiKeyVariable)}")
            .AppendLine("wire_api = \"responses\"")
            .ToString();
        HomeFiles.WriteText(home, RelativePath, toml);
        return new AgentSetup(
            new Dictionary<string, string> { [AgentTarget.ApiKeyVariable] = target.KeyOrPlaceholder },
            ["--profile", AgentTarget.EntryName],
            [path]);
    }

    /// <summary>A TOML basic string.</summary>
    internal static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case < ' ' or '\u007f':
                    sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
