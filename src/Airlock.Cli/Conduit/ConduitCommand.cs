using System.CommandLine;
using System.Text.Json;
using Airlock.Cli.Commands;
using Airlock.Cli.Help;
using Airlock.Launcher.Conduit;
using Airlock.Launcher.Conduit.Writers;
using Airlock.Sandboxes.Paths;
using Spectre.Console;

namespace Airlock.Cli.Conduit;

/// <summary>
/// <c>airlock conduit set|show|models|launch</c>: points agents at an OpenAI-compatible model server (Ollama, LM Studio,
/// vLLM, llama.cpp, any URL). Works on the host (on the namespace named by --namespace, default agents) and inside a
/// sandbox (on that sandbox's namespace); both read and write the same settings file in the namespace home.
/// </summary>
public static class ConduitCommand
{
    public static Command Create(CliContext context)
    {
        var ns = new Option<string?>("--namespace") { Description = "The namespace whose agents to configure (host only; default: agents).", HelpName = "NS", Recursive = true };
        var conduit = new Command("conduit", "Point agents at a model server on your machine (Ollama, LM Studio, vLLM, llama.cpp) or any OpenAI-compatible URL.")
        {
            ns,
            Set(context, ns),
            Show(context, ns),
            Models(context, ns),
            Launch(context, ns),
        };
        conduit.WithHelp(
            """
            Settings live in the namespace's home (.config/airlock/conduit.json, owner-only), so conduit on the host
            (--namespace NS, default agents) and conduit inside that namespace's sandbox share them. Endpoints are given in
            the host's terms: 127.0.0.1 is the host's loopback; sandboxes reach it as host.airlock.internal, and
            `conduit launch` on the host forwards the endpoint's port. See docs/conduit.md.
            """,
            "airlock conduit set endpoint ollama                # http://127.0.0.1:11434/v1",
            "airlock conduit set endpoint http://127.0.0.1:8000/v1",
            "airlock conduit models",
            "airlock conduit launch codex                       # pick a model, then codex runs in the agents namespace",
            "airlock conduit launch pi --model qwen3 -- -p \"explain this repo\"");
        return conduit;
    }

    private static Command Set(CliContext context, Option<string?> ns)
    {
        var value = new Argument<string>("ENDPOINT") { Description = "ollama, lmstudio, vllm, llamacpp, or an http(s) base URL (the part before /models)." };
        var keyFromEnv = new Option<string?>("--api-key-from-env")
        {
            Description = "A cloud endpoint's key: the host variable it is in. Agents get a placeholder; the policy point adds the key to requests to the endpoint's host (https only, allowlist network). Only the name is stored.",
            HelpName = "VAR",
        };
        var endpoint = new Command("endpoint", "Set the model server agents use.") { value, keyFromEnv };
        endpoint.WithHelp(
            "Presets: ollama = http://127.0.0.1:11434/v1, lmstudio = http://127.0.0.1:1234/v1, vllm = http://127.0.0.1:8000/v1, llamacpp = http://127.0.0.1:8080/v1.",
            "airlock conduit set endpoint ollama",
            "airlock conduit set endpoint https://models.example.com/v1 --namespace work",
            "airlock conduit set endpoint https://openrouter.ai/api/v1 --api-key-from-env OPENROUTER_API_KEY");
        endpoint.SetAction(parse =>
        {
            var location = Locate(context, parse.GetValue(ns));
            var parsed = ConduitEndpoint.Parse(parse.GetRequiredValue(value));
            var fromEnv = parse.GetValue(keyFromEnv);
            if (fromEnv is not null && !Airlock.Sandboxes.Validation.VariableNames.IsValid(fromEnv))
            {
                throw new ConduitException($"--api-key-from-env '{fromEnv}' is not a variable name", "name the host variable that holds the key, such as OPENROUTER_API_KEY");
            }

            if (fromEnv is not null && !parsed.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConduitException(
                    $"--api-key-from-env needs an https endpoint: a key is never added to plain HTTP, where anyone on the way could read it",
                    "give the endpoint's https:// URL, or store a local server's key with: airlock conduit set api-key");
            }

            var store = location.Store;
            // A new endpoint forgets the old one's key variable: that key was bound to the old host.
            store.Save(store.Load() with { Endpoint = parsed.Url, Preset = parsed.Preset, ApiKeyFromEnv = fromEnv });
            if (fromEnv is not null)
            {
                context.Out.WriteLine($"  its key is read from ${fromEnv} on the host at each launch and added on the way out; agents see a placeholder");
            }

            context.Out.MarkupLine($"conduit endpoint for namespace [bold]{Markup.Escape(location.Namespace)}[/]: {Markup.Escape(parsed.Url)}" +
                (parsed.Preset is { } p ? $" ({p})" : ""));
            if (parsed.OnHostLoopback)
            {
                context.Out.WriteLine($"  sandboxes reach it at {parsed.UrlFrom(ConduitSite.Sandbox)} (conduit launch forwards host port {parsed.HostPort})");
            }

            if (parsed.PathHint is { } hint)
            {
                context.Error.MarkupLine("[yellow]notice:[/] " + Markup.Escape(hint));
            }

            return ExitCodes.Ok;
        });

        var clear = new Option<bool>("--clear") { Description = "Remove the stored key." };
        var apiKey = new Command("api-key", "Store the key sent to the endpoint (read from stdin, or asked for without echo on a terminal).") { clear };
        apiKey.WithHelp(
            "Local servers need no key. The key is stored owner-only in the settings file and never printed; it is never taken as an argument (those show up in `ps` and shell history).",
            "airlock conduit set api-key                     # asks, without echo",
            "pass show models/key | airlock conduit set api-key",
            "airlock conduit set api-key --clear");
        apiKey.SetAction(parse =>
        {
            var location = Locate(context, parse.GetValue(ns));
            var store = location.Store;
            if (parse.GetValue(clear))
            {
                store.Save(store.Load() with { ApiKey = null });
                context.Out.WriteLine($"conduit API key for namespace '{location.Namespace}' removed");
                return ExitCodes.Ok;
            }

            var key = ReadKey(context);
            store.Save(store.Load() with { ApiKey = key });
            context.Out.WriteLine($"conduit API key for namespace '{location.Namespace}' stored in {store.File} (owner-only)");
            return ExitCodes.Ok;
        });

        var set = new Command("set", "Change conduit's settings.") { endpoint, apiKey };
        set.WithHelp(null, "airlock conduit set endpoint lmstudio", "printf %s \"$KEY\" | airlock conduit set api-key");
        return set;
    }

    private static Command Show(CliContext context, Option<string?> ns)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts." };
        var show = new Command("show", "Show the endpoint, how it is reached from the host and from sandboxes, and the last model per agent.") { json };
        show.WithHelp(null, "airlock conduit show", "airlock conduit show --json --namespace work");
        show.SetAction(parse =>
        {
            var location = Locate(context, parse.GetValue(ns));
            var settings = location.Store.Load();
            var endpoint = settings.GetEndpoint();
            var shown = new ConduitShown(
                location.Namespace,
                location.Site == ConduitSite.Host ? "host" : "sandbox",
                location.Store.File,
                endpoint?.Url,
                endpoint?.Preset,
                endpoint?.UrlFrom(ConduitSite.Host),
                endpoint?.UrlFrom(ConduitSite.Sandbox),
                endpoint?.HostPort,
                settings.ApiKey is { Length: > 0 },
                settings.LastModels);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(shown, ConduitCliJson.Default.ConduitShown));
                return ExitCodes.Ok;
            }

            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("namespace", Markup.Escape(shown.Namespace));
            grid.AddRow("settings", Markup.Escape(shown.SettingsFile));
            grid.AddRow("endpoint", endpoint is null ? "[yellow]not set[/] (airlock conduit set endpoint ollama|lmstudio|vllm|llamacpp|URL)"
                : Markup.Escape(endpoint.Url) + (endpoint.Preset is { } p ? $" ({p})" : ""));
            if (endpoint is not null)
            {
                grid.AddRow("from the host", Markup.Escape(endpoint.UrlFrom(ConduitSite.Host)));
                grid.AddRow("from sandboxes", Markup.Escape(endpoint.UrlFrom(ConduitSite.Sandbox)) +
                    (endpoint.HostPort is { } port ? $" (host port {port} forwarded by conduit launch)" : ""));
            }

            grid.AddRow("api key", shown.ApiKeySet ? "set (not shown)" : "not set");
            foreach (var (agent, model) in settings.LastModels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                grid.AddRow($"last model: {Markup.Escape(agent)}", Markup.Escape(model));
            }

            context.Out.Write(grid);
            return ExitCodes.Ok;
        });
        return show;
    }

    private static Command Models(CliContext context, Option<string?> ns)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts." };
        var models = new Command("models", "List the models the endpoint serves (GET {endpoint}/models).") { json };
        models.WithHelp(null, "airlock conduit models", "airlock conduit models --json | jq -r '.models[]'");
        models.SetAction(async (parse, ct) =>
        {
            var location = Locate(context, parse.GetValue(ns));
            var settings = location.Store.Load();
            var endpoint = ConduitLauncher.RequireEndpoint(settings);
            var list = await new ModelCatalog().ListAsync(endpoint, location.Site, settings.ApiKey, ct);
            if (parse.GetValue(json))
            {
                var result = new ConduitModels(location.Namespace, endpoint.UrlFrom(location.Site), location.Site == ConduitSite.Host ? "host" : "sandbox", list);
                context.Out.WriteLine(JsonSerializer.Serialize(result, ConduitCliJson.Default.ConduitModels));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("MODEL", "LAST USED BY");
            foreach (var model in list)
            {
                var agents = settings.LastModels.Where(kv => kv.Value == model).Select(kv => kv.Key).Order(StringComparer.Ordinal);
                table.AddRow(Markup.Escape(model), Markup.Escape(string.Join(", ", agents)));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return models;
    }

    private static Command Launch(CliContext context, Option<string?> ns)
    {
        var agent = new Argument<string>("AGENT") { Description = "The agent: " + string.Join(", ", AgentWriters.All.Select(w => w.Agent)) + "." };
        var args = new ProgramArgument("ARGS", ProgramWords.FromFirstWord) { Description = "The agent's own arguments, after the options; put -- before them when the first starts with -." };
        var model = new Option<string?>("--model", "-m") { Description = "The model (default: ask, with the agent's last model first).", HelpName = "MODEL" };
        var launch = new Command("launch", "Write an agent's config for the endpoint and a model, then run the agent.") { agent, args, model };
        launch.WithHelp(
            """
            From the host, the agent runs in a sandbox of the namespace (default agents) with the project mounted and the
            endpoint's host port forwarded; inside a sandbox, it runs right there. Without --model, a terminal gets an
            arrow-key list of the endpoint's models (the agent's last model first); a script gets an error listing them.
            Only Airlock's own entries in the agent's config are written (a provider or profile named airlock).
            """,
            "airlock conduit launch opencode",
            "airlock conduit launch codex --model qwen3-coder -- exec \"add a test\"",
            "airlock conduit launch pi -m qwen3 -- -p \"summarise README.md\"");
        launch.SetAction(async (parse, ct) =>
        {
            var location = Locate(context, parse.GetValue(ns));
            var name = parse.GetRequiredValue(agent);
            AgentWriters.Get(name);
            var settings = location.Store.Load();
            var endpoint = ConduitLauncher.RequireEndpoint(settings);
            var served = await new ModelCatalog().ListAsync(endpoint, location.Site, settings.ApiKey, ct);
            var chosen = parse.GetValue(model);
            if (chosen is null)
            {
                chosen = ModelPicker.Pick(context, name, served, settings.LastModels.GetValueOrDefault(name));
            }
            else if (!served.Contains(chosen))
            {
                context.Error.MarkupLine($"[yellow]notice:[/] {Markup.Escape(endpoint.Url)} does not list model '{Markup.Escape(chosen)}' (it serves: {Markup.Escape(string.Join(", ", served))}); using it anyway");
            }

            var prepared = ConduitLauncher.Prepare(location, name, chosen, parse.GetValue(args) ?? []);
            var paths = AirlockPaths.FromEnvironment(context.GetVariable);
            var files = prepared.FilesWritten.Count == 0 ? "environment only" : "wrote " + string.Join(", ", prepared.FilesWritten.Select(f => Shorten(f, location, paths)));
            context.Error.MarkupLine($"[grey]conduit:[/] {Markup.Escape(name)} -> {Markup.Escape(chosen)} at {Markup.Escape(endpoint.UrlFrom(ConduitSite.Sandbox))} ({Markup.Escape(files)})");
            IAgentRunner runner = location.Site == ConduitSite.Sandbox ? new LocalAgentRunner() : new SandboxAgentRunner(context);
            return await runner.RunAsync(prepared, ct);
        });
        return launch;
    }

    private static ConduitLocation Locate(CliContext context, string? ns) =>
        ConduitLocation.Resolve(ConduitSiteDetector.Detect(context.GetVariable), ns, AirlockPaths.FromEnvironment(context.GetVariable), context.GetVariable);

    private static string Shorten(string file, ConduitLocation location, AirlockPaths paths) =>
        file.StartsWith(location.Home + "/", StringComparison.Ordinal) ? "~" + file[location.Home.Length..] : paths.Contract(file);

    private static string ReadKey(CliContext context)
    {
        string? key;
        if (System.Console.IsInputRedirected)
        {
            key = System.Console.In.ReadToEnd().Trim();
        }
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(System.Console.Error) });
            key = console.Prompt(new TextPrompt<string>("API key (not shown):").Secret(null)).Trim();
        }

        if (string.IsNullOrEmpty(key) || key.Any(char.IsWhiteSpace))
        {
            throw new ConduitException(
                string.IsNullOrEmpty(key) ? "no API key given (stdin was empty)" : "the API key contains whitespace",
                "pipe exactly the key: printf %s \"$KEY\" | airlock conduit set api-key; or remove it with --clear");
        }

        return key;
    }
}
