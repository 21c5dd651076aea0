namespace Airlock.Engine.Tests.Infrastructure;

/// <summary>A scratch directory readable by any user (containers run as other uids), deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("airlock-test-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }

    public string Path { get; }

    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A container may have left a root-owned file; the OS temp clean-up will get it.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
