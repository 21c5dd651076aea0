using System.Text.RegularExpressions;
using Airlock.Server.Tests.Breaches;
using Airlock.Server.Tests.Infrastructure;
using Airlock.Tests.Support;

namespace Airlock.Server.Tests.Client;

/// <summary>
/// Airlock.Client as a user gets it: packed into a NuGet package, referenced by a new program from a feed that holds
/// nothing else (so it needs nothing but the base class library), and the session in its README run as that program
/// against a real server. A README sample that stops compiling or working fails here.
/// </summary>
public sealed partial class ClientPackageTests
{
    [Fact(Timeout = 300_000)]
    public async Task The_packed_client_runs_its_readme_session_against_a_real_server()
    {
        await using var server = await ServerHarness.StartAsync(Stores.Sqlite, TestEngines.Docker);
        var tenant = await server.NewTenantAsync("acme");
        // Outside the repository, so its build settings (central package versions, analyzers) do not reach the program.
        using var work = new TempDirectory("airlock-client-package-");

        var packed = await DotnetAsync(work, "pack", Path.Combine(AirlockBinary.RepoRoot, "src", "Airlock.Client"), "-c", "Release", "--no-build", "-o", work.Combine("feed"));
        packed.ExitCode.ShouldBe(0, packed.Stdout + packed.Stderr);
        var version = Regex.Match(Directory.GetFiles(work.Combine("feed"), "Airlock.Client.*.nupkg").ShouldHaveSingleItem(), @"Airlock\.Client\.(.+)\.nupkg$").Groups[1].Value;

        work.Write("app/nuget.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{work.Combine("feed")}" />
              </packageSources>
            </configuration>
            """);
        work.Write("app/app.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Airlock.Client" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        work.Write("app/Program.cs", ReadmeSession());

        var run = await DotnetAsync(work, "run", "--project", work.Combine("app"), "-c", "Release");

        run.ExitCode.ShouldBe(0, run.Stdout + run.Stderr);
        run.Stdout.ShouldBe("1\n2\n3\nexit 0\nhello\n");
        (await server.ContainerNamesAsync()).ShouldBeEmpty("the README's session deletes what it made");

        Task<ProcessResult> DotnetAsync(TempDirectory dir, params string[] args) => ProcessRunner.RunAsync(
            "dotnet",
            args,
            new Dictionary<string, string?>
            {
                ["AIRLOCK_SERVER"] = server.Server.Address.ToString(),
                ["AIRLOCK_TOKEN"] = tenant.Keys["operator"],
                ["NUGET_PACKAGES"] = dir.Combine("nuget-packages"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            },
            workingDirectory: dir.Path,
            timeout: TimeSpan.FromMinutes(4));
    }

    /// <summary>The first C# block of src/Airlock.Client/README.md.</summary>
    private static string ReadmeSession()
    {
        var readme = File.ReadAllText(Path.Combine(AirlockBinary.RepoRoot, "src", "Airlock.Client", "README.md"));
        var code = CSharpBlock().Match(readme).Groups["code"].Value;
        code.ShouldNotBeNullOrWhiteSpace("the README has a ```csharp block");
        return code;
    }

    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
