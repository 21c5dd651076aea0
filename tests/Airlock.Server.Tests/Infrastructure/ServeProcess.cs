using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Airlock.Server.Tests.Infrastructure;

/// <summary>
/// The real <c>airlock serve</c> binary as its own process on 127.0.0.1 (a free port), with a SQLite file and the
/// bootstrap key in a temp dir and a real engine, for tests that drive the real <c>airlock</c> client against it.
/// Disposal stops it with SIGTERM and removes every container of the tenants the test registered.
/// </summary>
public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _tenants = [];

    private ServeProcess(Process process, DirectoryInfo home, Uri address, string bootstrapKey, string engine)
    {
        _process = process;
        Home = home;
        Address = address;
        BootstrapKey = bootstrapKey;
        Engine = engine;
    }

    /// <summary>AIRLOCK_HOME of the server and of the clients run against it.</summary>
    public DirectoryInfo Home { get; }

    public Uri Address { get; }

    public string BootstrapKey { get; }

    public string Engine { get; }

    /// <summary>The server path of a new home's database (so <c>airlock backup --database</c> can name it).</summary>
    public string Database => Path.Combine(Home.FullName, "airlock.db");

    /// <summary>
    /// Starts a server in a new home: on a new database, or on <paramref name="database"/> (a restored copy), whose
    /// system admin key <paramref name="bootstrapKey"/> is (no bootstrap key file is written for a database that has one)
    /// and whose secrets need <paramref name="secretsKeyFile"/>.
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string engine = TestEngines.Docker, string? database = null, string? bootstrapKey = null, string? secretsKeyFile = null)
    {
        var home = Directory.CreateTempSubdirectory("airlock-serve-process-");
        var keyFile = Path.Combine(home.FullName, "bootstrap-key");
        string[] secrets = secretsKeyFile is null ? [] : ["--secrets-key-file", secretsKeyFile];
        var process = Process.Start(AirlockProcess.StartInfo(
            home.FullName,
            ["serve", "--listen", "http://127.0.0.1:0", "--database", database ?? Path.Combine(home.FullName, "airlock.db"),
                "--engine", TestEngines.Endpoint(engine).ToString(), "--bootstrap-key-file", keyFile, .. secrets]))!;
        var lines = new List<string>();
        Uri? address = null;
        while (address is null && await process.StandardError.ReadLineAsync(Ct) is { } line)
        {
            lines.Add(line);
            if (ListeningOn().Match(line) is { Success: true } m)
            {
                address = new Uri(m.Groups[1].Value);
            }
        }

        if (address is null)
        {
            process.Kill();
            home.Delete(recursive: true);
            throw new InvalidOperationException("airlock serve did not start:\n" + string.Join('\n', lines));
        }

        // Drained so the server never blocks on a full pipe.
        _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        return new ServeProcess(process, home, address, bootstrapKey ?? (await File.ReadAllTextAsync(keyFile, Ct)).Trim(), engine);
    }

    /// <summary>A tenant id unique to this run, whose containers disposal removes.</summary>
    /// <summary>A tenant made through the CLI with the bootstrap key, and its operator and viewer keys.</summary>
    public async Task<(string Tenant, string Operator, string Viewer)> NewTenantWithKeysAsync(string prefix)
    {
        var tenant = NewTenantId(prefix);
        await Ok(RunAsync(BootstrapKey, "tenant", "create", tenant));
        var op = (await Ok(RunAsync(BootstrapKey, "key", "create", "--tenant", tenant, "--name", "op", "--role", "operator"))).Trim();
        var viewer = (await Ok(RunAsync(BootstrapKey, "key", "create", "--tenant", tenant, "--name", "view", "--role", "viewer"))).Trim();
        return (tenant, op, viewer);
    }

    /// <summary>The command's stdout, once it exited 0 (else the test fails showing both streams).</summary>
    public static async Task<string> Ok(Task<(int Code, string Stdout, string Stderr)> run)
    {
        var (code, stdout, stderr) = await run;
        code.ShouldBe(0, $"stderr: {stderr}\nstdout: {stdout}");
        return stdout;
    }

    public string NewTenantId(string prefix)
    {
        var id = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        lock (_tenants)
        {
            _tenants.Add(id);
        }

        return id;
    }

    /// <summary>Runs the real airlock client against this server with <paramref name="token"/> as AIRLOCK_TOKEN (null: unset).</summary>
    public Task<(int Code, string Stdout, string Stderr)> RunAsync(string? token, params string[] args) =>
        AirlockProcess.RunAsync(Home.FullName, new Dictionary<string, string?> { ["AIRLOCK_SERVER"] = Address.ToString(), ["AIRLOCK_TOKEN"] = token }, args);

    /// <summary>As <see cref="RunAsync(string?, string[])"/>, with more of the environment and a standard input.</summary>
    public Task<(int Code, string Stdout, string Stderr)> RunAsync(string? token, IReadOnlyDictionary<string, string?> environment, string? stdin, params string[] args) =>
        AirlockProcess.RunAsync(
            Home.FullName,
            new Dictionary<string, string?>(environment) { ["AIRLOCK_SERVER"] = Address.ToString(), ["AIRLOCK_TOKEN"] = token },
            stdin,
            args);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync(CancellationToken.None);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        using var engine = await TestEngines.ConnectAsync(Engine);
        foreach (var tenant in _tenants)
        {
            foreach (var container in await engine.Containers.ListAsync([$"io.airlock.tenant={tenant}"], ct: CancellationToken.None))
            {
                await engine.Containers.RemoveIfExistsAsync(container.Id, CancellationToken.None);
            }
        }

        Home.Delete(recursive: true);
    }

    [GeneratedRegex(@"listening on (http://\S+?),")]
    private static partial Regex ListeningOn();
}
