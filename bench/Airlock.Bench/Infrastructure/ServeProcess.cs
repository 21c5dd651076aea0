using Airlock.Bench.Benchmarks;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Airlock.Bench.Infrastructure;

/// <summary>
/// A real <c>airlock serve</c> as its own process on 127.0.0.1 (a free port), with a SQLite database and bootstrap key in
/// a throw-away directory, so the benchmark's client and the server do not share a process, a GC or a thread pool.
/// Disposal stops it with SIGTERM (as an operator would) and removes the directory.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _dir;
    private readonly List<string> _log;

    private ServeProcess(Process process, DirectoryInfo dir, Uri address, string bootstrapKey, List<string> log)
    {
        _process = process;
        _dir = dir;
        _log = log;
        Address = address;
        Admin = Client(bootstrapKey);
    }

    public Uri Address { get; }

    /// <summary>The system admin (the bootstrap key the server wrote).</summary>
    public HttpClient Admin { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time (user + system) the server process has used so far, from /proc: what a request costs whatever else runs.</summary>
    public TimeSpan CpuTime()
    {
        // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th.
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public static async Task<ServeProcess> StartAsync(string airlock, string engine, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("airlock-bench-serve-");
        var keyFile = Path.Combine(dir.FullName, "bootstrap-key");
        var info = new ProcessStartInfo(airlock)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[] { "serve", "--listen", "http://127.0.0.1:0", "--database", Path.Combine(dir.FullName, "airlock.db"), "--engine", engine, "--bootstrap-key-file", keyFile })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["AIRLOCK_HOME"] = Path.Combine(dir.FullName, "home");
        info.Environment["NO_COLOR"] = "1";
        var process = Process.Start(info) ?? throw new BenchRunException($"could not start {airlock} serve");
        var log = new List<string>();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            Uri? address = null;
            while (address is null && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                log.Add(line);
                if (ListeningOn().Match(line) is { Success: true } m)
                {
                    address = new Uri(m.Groups[1].Value);
                }
            }

            if (address is null)
            {
                throw new BenchRunException($"airlock serve ended before listening (exit {(process.HasExited ? process.ExitCode : -1)}):\n  {string.Join("\n  ", log)}");
            }

            // Keep draining its output, so a chatty server never blocks on a full pipe.
            _ = DrainAsync(process.StandardError, log);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var key = (await File.ReadAllTextAsync(keyFile, ct)).Trim();
            return new ServeProcess(process, dir, address, key, log);
        }
        catch
        {
            Stop(process);
            dir.Delete(recursive: true);
            throw;
        }
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A tenant with no rate limit (the figures are the server's, not a tier's) and room for <paramref name="maxSandboxes"/>; returns a key of <paramref name="role"/>.</summary>
    public async Task<string> NewTenantAsync(string id, long maxSandboxes, string role, CancellationToken ct)
    {
        var tenant = await Admin.PostAsJsonAsync("/v1/tenants", new
        {
            id,
            tier = "unlimited",
            quota = new { maxSandboxes, maxCpus = maxSandboxes, maxMemoryBytes = maxSandboxes << 30 },
        }, ct);
        await ExpectAsync(tenant, 201, ct);
        var created = await Admin.PostAsJsonAsync($"/v1/tenants/{id}/keys", new { name = "bench", role }, ct);
        var body = JsonNode.Parse(await ExpectAsync(created, 201, ct))!;
        return body["key"]!.GetValue<string>();
    }

    /// <summary>The body of an answer with <paramref name="status"/>; anything else stops the benchmark with the server's problem details.</summary>
    public static async Task<string> ExpectAsync(HttpResponseMessage response, int status, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode != status)
        {
            throw new BenchRunException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {status}, got {(int)response.StatusCode}: {body}");
        }

        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(CancellationToken.None);
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Stop(_process);
            }
        }

        _process.Dispose();
        _dir.Delete(recursive: true);
    }

    /// <summary>What the server wrote to stderr so far (for a failure report).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    private static async Task DrainAsync(StreamReader reader, List<string> log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                if (log.Count < 1000)
                {
                    log.Add(line);
                }
            }
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    [GeneratedRegex(@"listening on (http://\S+?),")]
    private static partial Regex ListeningOn();
}
