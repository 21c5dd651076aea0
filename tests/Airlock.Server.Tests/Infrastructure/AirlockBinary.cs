namespace Airlock.Server.Tests.Infrastructure;

/// <summary>The real, built <c>airlock</c> executable (src/Airlock.Cli's build output, same configuration as the tests).</summary>
public static class AirlockBinary
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent?.Name ?? "Debug";
        for (var dir = tfmDir; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Airlock.slnx")))
            {
                var path = System.IO.Path.Combine(dir.FullName, "src", "Airlock.Cli", "bin", configuration, tfmDir.Name, "airlock");
                return File.Exists(path) ? path : throw new FileNotFoundException($"airlock is not built at {path}; run dotnet build Airlock.slnx -c {configuration}", path);
            }
        }

        throw new InvalidOperationException($"no Airlock.slnx above {AppContext.BaseDirectory}");
    }
}
