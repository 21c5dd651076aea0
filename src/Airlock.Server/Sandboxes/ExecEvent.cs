namespace Airlock.Server.Sandboxes;

/// <summary>
/// One line of a streamed exec (<c>application/x-ndjson</c>), and one text message of a terminal: <c>stdout</c> and
/// <c>stderr</c> carry <see cref="Data"/> as it came (UTF-8 text; a character split between two reads is sent whole with
/// the second); <c>exit</c> ends the stream with <see cref="ExitCode"/>, or with <see cref="TimedOut"/> true and no code
/// when the time limit killed the command; <c>error</c> ends it with a problem's status, title and detail.
/// </summary>
public sealed record ExecEvent(string Type, string? Data = null, int? ExitCode = null, bool? TimedOut = null, int? Status = null, string? Title = null, string? Detail = null)
{
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";
    public const string Exit = "exit";
    public const string Error = "error";

    public static ExecEvent Ended(RunningExec exec, int? exitCode) => new(Exit, ExitCode: exitCode, TimedOut: exec.TimedOut);

    public static ExecEvent From(Errors.ApiException problem) => new(Error, Status: problem.Status, Title: problem.Title, Detail: problem.Message);
}
