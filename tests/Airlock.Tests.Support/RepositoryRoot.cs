namespace Airlock.Tests.Support;

/// <summary>The checkout the tests were built from, found by walking up to Airlock.slnx.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Airlock.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Airlock.slnx above {AppContext.BaseDirectory}");
    }
}
