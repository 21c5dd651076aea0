using Airlock.Sandboxes.Secrets;

namespace Airlock.Launcher.Secrets;

/// <summary>
/// The model providers' keys Airlock knows: the hosts each may go to and where it goes, so <c>airlock run AGENT</c> (and
/// <c>--secret NAME</c>) can give an agent a placeholder for a key set on the host. A base-URL variable the sandbox gets
/// (set by the user on the host or with <c>-e</c>) adds its host: the endpoint the user pointed the agent at.
/// </summary>
public static class ProviderSecrets
{
    private static readonly Dictionary<string, ProviderSecret> Known = new(StringComparer.Ordinal)
    {
        ["OPENAI_API_KEY"] = new(["api.openai.com"], SecretInjection.Bearer, ["OPENAI_BASE_URL", "OPENAI_API_BASE"]),
        ["ANTHROPIC_API_KEY"] = new(["api.anthropic.com"], SecretInjection.Header("x-api-key"), ["ANTHROPIC_BASE_URL"]),
        ["ANTHROPIC_AUTH_TOKEN"] = new(["api.anthropic.com"], SecretInjection.Bearer, ["ANTHROPIC_BASE_URL"]),
        ["GEMINI_API_KEY"] = new(["generativelanguage.googleapis.com"], SecretInjection.Header("x-goog-api-key"), ["GOOGLE_GEMINI_BASE_URL"]),
        ["GOOGLE_API_KEY"] = new(["generativelanguage.googleapis.com"], SecretInjection.Header("x-goog-api-key"), ["GOOGLE_GEMINI_BASE_URL"]),
        ["OPENROUTER_API_KEY"] = new(["openrouter.ai"], SecretInjection.Bearer, []),
        ["GROQ_API_KEY"] = new(["api.groq.com"], SecretInjection.Bearer, []),
        ["XAI_API_KEY"] = new(["api.x.ai"], SecretInjection.Bearer, []),
        ["DEEPSEEK_API_KEY"] = new(["api.deepseek.com"], SecretInjection.Bearer, []),
        ["MISTRAL_API_KEY"] = new(["api.mistral.ai"], SecretInjection.Bearer, []),
        ["CEREBRAS_API_KEY"] = new(["api.cerebras.ai"], SecretInjection.Bearer, []),
        ["TOGETHER_AI_API_KEY"] = new(["api.together.xyz"], SecretInjection.Bearer, []),
        ["FIREWORKS_API_KEY"] = new(["api.fireworks.ai"], SecretInjection.Bearer, []),
        ["DASHSCOPE_API_KEY"] = new(["dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com"], SecretInjection.Bearer, []),
        ["MOONSHOT_API_KEY"] = new(["api.moonshot.ai", "api.moonshot.cn"], SecretInjection.Bearer, []),
        ["ZAI_API_KEY"] = new(["api.z.ai"], SecretInjection.Bearer, []),
        ["HF_TOKEN"] = new(["huggingface.co", "router.huggingface.co"], SecretInjection.Bearer, []),
    };

    public static bool IsKnown(string variable) => Known.ContainsKey(variable);

    public static IEnumerable<string> Names => Known.Keys.Order(StringComparer.Ordinal);

    /// <summary>The binding of <paramref name="variable"/>, with the hosts of its base-URL variables in <paramref name="env"/>.</summary>
    public static (IReadOnlyList<string> Hosts, SecretInjection Injection)? For(string variable, IReadOnlyDictionary<string, string> env)
    {
        if (!Known.TryGetValue(variable, out var known))
        {
            return null;
        }

        var hosts = known.Hosts.ToList();
        foreach (var name in known.BaseUrlVariables)
        {
            if (env.TryGetValue(name, out var url) && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            {
                hosts.Add(uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}");
            }
        }

        return (hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), known.Injection);
    }

    private sealed record ProviderSecret(IReadOnlyList<string> Hosts, SecretInjection Injection, IReadOnlyList<string> BaseUrlVariables);
}
