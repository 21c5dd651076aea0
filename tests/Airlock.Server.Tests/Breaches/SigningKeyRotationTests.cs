using System.Net.Http.Json;
using System.Runtime.Versioning;
using Airlock.Server.Auth;
using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>
/// Issue 10, item 3: the signing key lives in its own file and can be rotated with the real binary while servers run.
/// A rotation keeps the previous key (tokens minted with it work until they expire); the next one retires it, and a
/// token signed with a retired key is refused.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SigningKeyRotationTests
{
    [Fact(Timeout = 120_000)]
    public async Task Rotating_keeps_the_previous_keys_tokens_and_the_next_rotation_retires_them()
    {
        var clock = new ShiftableTime();
        await using var server = await ServerHarness.StartAsync(time: clock);
        var tenant = await server.NewTenantAsync("acme");
        var keyFile = Path.Combine(server.Dir, "signing-key");
        var before = await MintAsync(tenant);

        await RotateAsync(server, keyFile);
        File.GetUnixFileMode(keyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        clock.Advance(SigningKeyRing.RecheckAfter + TimeSpan.FromSeconds(1));

        var after = await MintAsync(tenant);
        TokenForgery.HeaderOf(after).ShouldNotBe(TokenForgery.HeaderOf(before), "a token minted after the rotation names the new key");
        await Expect.StatusAsync(await server.Client(before).GetAsync("/v1/sandboxes", Ct), 200);
        await Expect.StatusAsync(await server.Client(after).GetAsync("/v1/sandboxes", Ct), 200);

        await RotateAsync(server, keyFile);
        clock.Advance(SigningKeyRing.RecheckAfter + TimeSpan.FromSeconds(1));

        (await Expect.ProblemAsync(await server.Client(before).GetAsync("/v1/sandboxes", Ct), 401))["detail"]!.GetValue<string>().ShouldContain("key this server does not hold");
        await Expect.StatusAsync(await server.Client(after).GetAsync("/v1/sandboxes", Ct), 200);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_signing_key_file_that_is_not_one_stops_the_server_with_exit_2_naming_the_line()
    {
        var home = Directory.CreateTempSubdirectory("airlock-serve-key-");
        try
        {
            var file = Path.Combine(home.FullName, "keys");
            await File.WriteAllTextAsync(file, "# keys\nnot base64!\n", Ct);
            var (code, _, stderr) = await AirlockProcess.RunAsync(
                home.FullName, "serve", "--listen", "http://127.0.0.1:0", "--engine", "docker", "--signing-key-file", file);
            code.ShouldBe(2, stderr);
            stderr.ShouldContain($"{file}:2");
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static async Task<string> MintAsync(TestTenant tenant) =>
        (await Expect.JsonAsync(await tenant.Viewer.PostAsJsonAsync("/v1/tokens", new { }, Ct), 201))["token"]!.GetValue<string>();

    private static async Task RotateAsync(ServerHarness server, string keyFile)
    {
        var (code, stdout, stderr) = await AirlockProcess.RunAsync(server.Dir, "serve", "--rotate-signing-key", "--signing-key-file", keyFile);
        code.ShouldBe(0, stderr);
        stdout.ShouldContain("rotated");
    }
}
