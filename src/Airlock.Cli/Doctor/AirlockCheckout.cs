namespace Airlock.Cli.Doctor;

/// <summary>
/// The Airlock source checkout this airlock came from, so that a fix can name its scripts by a path that works from
/// anywhere: the checkout above the running binary (a build output), else the one scripts/install-airlock.sh recorded
/// beside the installed copy. Null when neither is there any more.
/// </summary>
public static class AirlockCheckout
{
    /// <summary>The file install-airlock.sh writes beside the installed binary, holding the checkout's path.</summary>
    public const string RecordFile = "source-checkout";

    public static string? Find() => Find(AppContext.BaseDirectory);

    public static string? Find(string binaryDirectory)
    {
        for (var dir = new DirectoryInfo(binaryDirectory); dir is not null; dir = dir.Parent)
        {
            if (IsCheckout(dir.FullName))
            {
                return dir.FullName;
            }
        }

        var record = Path.Combine(binaryDirectory, RecordFile);
        try
        {
            return File.Exists(record) && File.ReadAllText(record).Trim() is { Length: > 0 } recorded && IsCheckout(recorded) ? recorded : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A script of the checkout, as a command line.</summary>
    public static string Script(string checkout, string name) => "bash " + Shell.Quote(Path.Combine(checkout, "scripts", name));

    private static bool IsCheckout(string dir) =>
        File.Exists(Path.Combine(dir, "Airlock.slnx")) && File.Exists(Path.Combine(dir, "scripts", "base-image.sh"));
}
