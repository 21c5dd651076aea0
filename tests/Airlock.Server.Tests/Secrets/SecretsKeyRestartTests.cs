using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Airlock.Server.Nodes;
using Airlock.Server.Secrets;
using Airlock.Server.Store;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Secrets;

/// <summary>
/// The real <c>airlock serve</c>, trusting the test's root through SSL_CERT_FILE as it would the public roots, with an
/// allowlist sandbox given a secret: killed and started again with another key (file or AIRLOCK_SECRETS_KEY), it
/// refuses to start, naming both keys and the way to rotate; with its own key, the reconciler hosts the sandbox's proxy
/// again with the stored authority and placeholder, and the running sandbox's next request gets the value. A rotation
/// re-encrypts what is stored, after which only the new key starts the server. One engine and store each way round.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SecretsKeyRestartTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("airlock-secrets-restart-");

    [Theory(Timeout = 420_000)]
    [InlineData(TestEngines.Docker, Stores.Sqlite)]
    [InlineData(TestEngines.Podman, Stores.Postgres)]
    public async Task Another_key_refuses_to_start_its_own_key_rehosts_the_sandbox_with_its_secret_and_a_rotation_re_encrypts(string engine, string store)
    {
        using var root = new TestCertificateAuthority();
        using var provider = new FakeHttpsProvider(IPAddress.Loopback, root.Issue("127.0.0.1"));
        await using var db = await TestDatabase.CreateAsync(store);
        using var engineClient = await TestEngines.ConnectAsync(engine);
        var environment = new Dictionary<string, string?> { ["SSL_CERT_FILE"] = root.WriteBundle(Path.Combine(_home.FullName, "roots.pem")) };
        var keyFile = Path.Combine(_home.FullName, "secrets-key");
        var bootstrapFile = Path.Combine(_home.FullName, "bootstrap-key");
        string[] Args(params string[] more) =>
            ["--listen", "http://127.0.0.1:0", "--engine", TestEngines.Endpoint(engine).ToString(), "--database", db.Url, "--bootstrap-key-file", bootstrapFile, .. more];
        var value = "sk-kept-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var destination = $"127.0.0.1:{provider.Port}";
        string? serverId = null;
        try
        {
            string id;
            string operatorKey;
            using (var first = ServeProcessHandle.Start(_home.FullName, environment, Args("--secrets-key-file", keyFile)))
            {
                var address = await first.ListeningAsync();
                first.Output.ShouldContain($"made a new secrets key (id {Key(keyFile).Id}) in {keyFile} (mode 0600)");
                serverId = await new SettingsStore(db.Database).GetOrCreateAsync(ServerIdentity.SettingName, () => "unused", Ct);
                using var admin = Client(address, (await File.ReadAllTextAsync(bootstrapFile, Ct)).Trim());
                await Expect.StatusAsync(await admin.PostAsJsonAsync("/v1/tenants", new { id = "acme", egress = new { allow = new[] { "127.0.0.1" } } }, Ct), 201);
                operatorKey = (await Expect.JsonAsync(await admin.PostAsJsonAsync("/v1/tenants/acme/keys", new { name = "ci", role = "operator" }, Ct), 201))["key"]!.GetValue<string>();
                await Expect.StatusAsync(await admin.PostAsJsonAsync("/v1/tenants/acme/secrets", new { name = "API_TOKEN", value, hosts = new[] { destination } }, Ct), 201);
                using var op = Client(address, operatorKey);
                id = (await Expect.JsonAsync(await op.PostAsJsonAsync("/v1/sandboxes",
                    SecretRoutesTests.WithSecrets("kept", new { mode = "allowlist", allow = new[] { destination } }, ["API_TOKEN"]), Ct), 201))["id"]!.GetValue<string>();
                (await ServerHarness.ExecAsync(op, id, SandboxRequests.BearerGet(provider.Port, "API_TOKEN"))).ShouldContain(FakeHttpsProvider.Answer);
                provider.Requests.Last().Header("authorization").ShouldBe("Bearer " + value);
                await first.KillHardAsync();
            }

            // Another key: the start stops before anything is served, naming both keys and what to do.
            var otherFile = Path.Combine(_home.FullName, "another-key");
            using (var wrong = ServeProcessHandle.Start(_home.FullName, environment, Args("--secrets-key-file", otherFile)))
            {
                (await wrong.ExitCodeAsync()).ShouldBe(2, wrong.Output);
                wrong.Output.ShouldContain($"the secrets key file {otherFile} holds secrets key {Key(otherFile).Id}, but this database's secrets are encrypted with secrets key {Key(keyFile).Id}");
                wrong.Output.ShouldContain("--secrets-previous-key-file");
                wrong.Output.ShouldNotContain("listening on");
            }

            using (var wrong = ServeProcessHandle.Start(_home.FullName, new Dictionary<string, string?>(environment) { ["AIRLOCK_SECRETS_KEY"] = SecretsKey.New().Encoded }, Args()))
            {
                (await wrong.ExitCodeAsync()).ShouldBe(2, wrong.Output);
                wrong.Output.ShouldContain("AIRLOCK_SECRETS_KEY holds secrets key");
            }

            // Its own key: the reconciler listens again for the running sandbox, with the authority it trusts and its value.
            using (var again = ServeProcessHandle.Start(_home.FullName, environment, Args("--secrets-key-file", keyFile)))
            {
                var address = await again.ListeningAsync();
                using var op = Client(address, operatorKey);
                (await ServerHarness.ExecAsync(op, id, SandboxRequests.BearerGet(provider.Port, "API_TOKEN"))).ShouldContain(FakeHttpsProvider.Answer);
                provider.Requests.Count.ShouldBe(2);
                provider.Requests.Last().Header("authorization").ShouldBe("Bearer " + value);
                await again.StopAsync();
            }

            // Rotation: a new key file is made, the secret and the sandbox's authority are re-encrypted under it.
            var newFile = Path.Combine(_home.FullName, "secrets-key.new");
            using (var rotated = ServeProcessHandle.Start(_home.FullName, environment, Args("--secrets-key-file", newFile, "--secrets-previous-key-file", keyFile)))
            {
                var address = await rotated.ListeningAsync();
                rotated.Output.ShouldContain($"rotated the secrets key: 2 stored value(s) re-encrypted from key {Key(keyFile).Id} to key {Key(newFile).Id}");
                using var op = Client(address, operatorKey);
                (await ServerHarness.ExecAsync(op, id, SandboxRequests.BearerGet(provider.Port, "API_TOKEN"))).ShouldContain(FakeHttpsProvider.Answer);
                provider.Requests.Last().Header("authorization").ShouldBe("Bearer " + value);
                (await StoredText.DumpAsync(db)).ShouldNotContain(value);
                await Expect.StatusAsync(await op.DeleteAsync($"/v1/sandboxes/{id}", Ct), 204);
                await rotated.StopAsync();
            }

            using (var old = ServeProcessHandle.Start(_home.FullName, environment, Args("--secrets-key-file", keyFile)))
            {
                (await old.ExitCodeAsync()).ShouldBe(2, old.Output);
                old.Output.ShouldContain($"this database's secrets are encrypted with secrets key {Key(newFile).Id}");
            }
        }
        finally
        {
            if (serverId is not null)
            {
                foreach (var container in await engineClient.Containers.ListAsync([$"io.airlock.server={serverId}"], ct: CancellationToken.None))
                {
                    await engineClient.Containers.RemoveIfExistsAsync(container.Id, CancellationToken.None);
                }

                // The proxies' runtime directory of that server (its sandboxes' directories went with them).
                var runtime = Path.Combine("/run/airlock", "serve-" + serverId[3..Math.Min(serverId.Length, 15)]);
                if (Directory.Exists(runtime))
                {
                    Directory.Delete(runtime, recursive: true);
                }
            }
        }
    }

    private static SecretsKey Key(string file) =>
        SecretsKey.Parse(File.ReadAllLines(file).Single(l => l.Length > 0 && !l.StartsWith('#')), out _)!;

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public void Dispose() => _home.Delete(recursive: true);
}
