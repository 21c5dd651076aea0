using Airlock.Server.Tests.Infrastructure;

namespace Airlock.Server.Tests.Breaches;

/// <summary>The admin's side of the image allowlist and the signing key file: <c>airlock serve</c>'s flags, through the real binary.</summary>
public sealed class ServeImageFlagTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("airlock-serve-flags-");

    [Fact(Timeout = 60_000)]
    public async Task Serve_help_shows_the_allowlist_and_signing_key_flags_with_examples()
    {
        var (code, stdout, stderr) = await AirlockProcess.RunAsync(_home.FullName, "serve", "--help");
        code.ShouldBe(0, stderr);
        foreach (var text in new[] { "--allow-image", "--signing-key-file", "--rotate-signing-key", "airlock serve --allow-image ", "airlock serve --rotate-signing-key", "--signing-key-file /etc/airlock/signing-key" })
        {
            stdout.ShouldContain(text);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task An_allowlist_entry_that_is_short_an_id_or_airlocks_own_repository_is_exit_2_naming_each()
    {
        var (code, stdout, stderr) = await AirlockProcess.RunAsync(
            _home.FullName, "serve", "--listen", "http://127.0.0.1:0", "--engine", "docker",
            "--allow-image", "python:3.12", "--allow-image", "localhost/airlock-snapshot", "--allow-image", "docker.io/library/python", "--allow-image", "f4d2");
        code.ShouldBe(2, stdout + stderr);
        stderr.ShouldContain("--allow-image[0]");
        stderr.ShouldContain("--allow-image[1]");
        stderr.ShouldNotContain("--allow-image[2]");
        stderr.ShouldContain("--allow-image[3]");
        stderr.ShouldNotContain("listening on");
    }

    public void Dispose() => _home.Delete(recursive: true);
}
